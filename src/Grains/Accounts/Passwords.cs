using System.Security.Cryptography;
using System.Text;

namespace P2PCluster.Grains.Accounts;

/// <summary>rAthena's password rule: the stored <c>user_pass</c> equals the password, or its MD5 hex digest.</summary>
public static class Passwords
{
    public static bool Matches(string stored, string offered, bool md5)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(offered);
        byte[] expected, actual;
        if (md5)
        {
            // rAthena compares the digest case-insensitively; MD5 is the table's format, not our choice of hash.
            expected = Encoding.ASCII.GetBytes(stored.ToLowerInvariant());
            actual = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(offered))));
        }
        else
        {
            expected = Encoding.UTF8.GetBytes(stored);
            actual = Encoding.UTF8.GetBytes(offered);
        }
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
