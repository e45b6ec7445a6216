using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5200 LOGIN, game client → coordinator, once established: rAthena credentials (user id 1–23 ASCII characters,
/// password 1–32 UTF-8 bytes). Answered by LOGIN_OK or REFUSED; too many failures end the connection.
/// </summary>
public readonly record struct LoginPacket(string UserId, string Password) : IPacket<LoginPacket>
{
    public const int MaxUserIdLength = 23, MaxPasswordBytes = 32;

    public static PacketId Id => PacketId.Login;
    public int BodyLength => WireText.Size(UserId) + WireUtf8.Size(Password);

    public void WriteBody(Span<byte> d)
    {
        if (UserId.Length is < 1 or > MaxUserIdLength) throw new ArgumentException($"user id must be 1–{MaxUserIdLength} characters");
        // Checked here so that the message cannot carry the password (WireUtf8's would quote the value).
        if (WireUtf8.Size(Password) - 1 > MaxPasswordBytes) throw new ArgumentException($"the password must be at most {MaxPasswordBytes} UTF-8 bytes");
        int at = WireText.Write(d, UserId);
        WireUtf8.Write(d[at..], Password, MaxPasswordBytes);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out LoginPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!WireText.TryRead(ref r, out string user) || user.Length is < 1 or > MaxUserIdLength
            || !WireUtf8.TryRead(ref r, MaxPasswordBytes, out string password) || password.Length == 0 || !r.End)
            return false;
        packet = new LoginPacket(user, password);
        return true;
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"LoginPacket {{ UserId = {UserId} }}";
}
