using System.Net;
using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Tests.Rathena;

/// <summary>
/// One packet of each id, its bytes written by hand from the layouts of docs/protocol.md §11 (not by the codec), and
/// the record it stands for. docs/protocol.md repeats these bytes in its rathena-vectors block.
/// </summary>
public static class HandoffVectors
{
    private static readonly string Zeros128 = new('0', 256);

    public static readonly NotifyZoneServerPacket ZoneClassic =
        new(HandoffVariant.Classic, 150000, "prontera", new ZoneServerAddress(IPAddress.Parse("203.0.113.9"), 5121));

    public static readonly NotifyZoneServerPacket ZoneExtended =
        new(HandoffVariant.Extended, 150000, "prontera", new ZoneServerAddress(IPAddress.Parse("203.0.113.9"), 5121));

    public static readonly ServerMovePacket MoveClassic =
        new(HandoffVariant.Classic, "payon", 162, 233, new ZoneServerAddress(IPAddress.Parse("192.0.2.17"), 6121));

    public static readonly ServerMovePacket MoveExtended =
        new(HandoffVariant.Extended, "yuno_fild01", 1023, 1023, new ZoneServerAddress(IPAddress.Parse("198.51.100.200"), 65535));

    /// <summary>0x0071: char 150000, prontera, 203.0.113.9:5121.</summary>
    public const string ZoneClassicHex =
        "7100" +                              // id 0x0071
        "f0490200" +                          // char_id 150000 = 0x000249f0, LE
        "70726f6e746572612e676174" +          // "prontera.gat"
        "00000000" +                          // zero fill to 16 bytes
        "cb007109" +                          // 203.0.113.9, network order
        "0114";                               // port 5121 = 0x1401, LE

    /// <summary>0x0AC5: the same fields, then 128 zero bytes.</summary>
    public static readonly string ZoneExtendedHex = "c50a" + ZoneClassicHex[4..] + Zeros128;

    /// <summary>0x0092: payon (162, 233), 192.0.2.17:6121.</summary>
    public const string MoveClassicHex =
        "9200" +                              // id 0x0092
        "7061796f6e2e676174" +                // "payon.gat"
        "00000000000000" +                    // zero fill to 16 bytes
        "a200" +                              // x 162, LE
        "e900" +                              // y 233, LE
        "c0000211" +                          // 192.0.2.17, network order
        "e917";                               // port 6121 = 0x17e9, LE

    /// <summary>0x0AC7: the longest name (11 characters) at the largest cell, port 65535, then an empty domain.</summary>
    public static readonly string MoveExtendedHex =
        "c70a" +                              // id 0x0ac7
        "79756e6f5f66696c6430312e676174" +    // "yuno_fild01.gat", 15 bytes
        "00" +                                // the one terminating NUL
        "ff03" +                              // x 1023, LE
        "ff03" +                              // y 1023, LE
        "c63364c8" +                          // 198.51.100.200, network order
        "ffff" +                              // port 65535
        Zeros128;                             // domain, empty

    public static IReadOnlyDictionary<string, string> ByDocName { get; } = new Dictionary<string, string>
    {
        ["hc_notify_zonesvr_0071"] = ZoneClassicHex,
        ["hc_notify_zonesvr_0ac5"] = ZoneExtendedHex,
        ["zc_npcack_servermove_0092"] = MoveClassicHex,
        ["zc_npcack_servermove_0ac7"] = MoveExtendedHex,
    };
}
