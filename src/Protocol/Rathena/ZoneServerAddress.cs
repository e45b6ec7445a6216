using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// Where a client is sent: an IPv4 address and a port, as rAthena's handoff packets carry them (its <c>ZSERVER_ADDR</c>).
/// Only unicast IPv4 with a non-zero port: the packets have four address bytes and no room for a hostname or IPv6.
/// </summary>
public readonly record struct ZoneServerAddress
{
    /// <summary>Bytes on the wire: u32 address in network byte order, then u16 port little-endian.</summary>
    public const int WireLength = 6;

    // The address as a big-endian integer (a.b.c.d = a << 24 | ...), so equality is by value.
    private readonly uint _address;

    public ZoneServerAddress(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Problem(address, port) is { } problem) throw new ArgumentException(problem, nameof(address));
        _address = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        Port = port;
    }

    private ZoneServerAddress(uint address, ushort port)
    {
        _address = address;
        Port = port;
    }

    public ushort Port { get; }

    public IPAddress Address => new(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(_address) : _address);

    /// <summary>False only for <c>default</c>, which no constructor produces.</summary>
    public bool IsSet => Port != 0;

    /// <summary>
    /// An <see cref="IPEndPoint"/> holding unicast IPv4. A <see cref="DnsEndPoint"/> is refused: resolve it first,
    /// because the client is given four address bytes (docs/protocol.md, "rAthena handoff packets", on the domain field).
    /// </summary>
    public static ZoneServerAddress From(EndPoint endpoint) => endpoint switch
    {
        null => throw new ArgumentNullException(nameof(endpoint)),
        IPEndPoint ip => new ZoneServerAddress(ip.Address, (ushort)ip.Port),
        DnsEndPoint dns => throw new ArgumentException(
            $"'{dns.Host}' is a hostname; rAthena's handoff packets carry a 4-byte IPv4 address, so resolve it first " +
            "(the domain field of 0x0AC5/0x0AC7 is always sent empty, as rAthena does)", nameof(endpoint)),
        _ => throw new ArgumentException($"{endpoint.GetType().Name} {endpoint} is not an IPv4 endpoint", nameof(endpoint)),
    };

    /// <summary>Null if a client can be sent to <paramref name="address"/>:<paramref name="port"/>, else why not.</summary>
    public static string? Problem(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            return $"{address} is an IPv4-mapped IPv6 address; pass address.MapToIPv4(): rAthena's handoff packets carry a 4-byte IPv4 address";
        if (address.AddressFamily != AddressFamily.InterNetwork)
            return $"{address} is not IPv4 ({address.AddressFamily}); rAthena's handoff packets carry a 4-byte IPv4 address only";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast) || address.GetAddressBytes()[0] is >= 224 and <= 239)
            return $"{address} is not a unicast address a client can connect to";
        if (port == 0) return "port 0 is not a port a client can connect to";
        return null;
    }

    public override string ToString() => $"{Address}:{Port}";

    internal void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _address);     // rAthena: htonl(ip)
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Port);  // rAthena: ntows(htons(port)), i.e. little-endian
    }

    internal static bool TryRead(ReadOnlySpan<byte> source, out ZoneServerAddress server)
    {
        var address = new IPAddress(source[..4]);
        ushort port = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        server = Problem(address, port) is null ? new ZoneServerAddress(BinaryPrimitives.ReadUInt32BigEndian(source), port) : default;
        return server.IsSet;
    }
}
