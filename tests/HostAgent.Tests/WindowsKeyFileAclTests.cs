using P2PCluster.Hosting.Keys;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The rule Windows applies to the host key's ACL (the twin of mode 0600), checked on the Linux build.</summary>
public sealed class WindowsKeyFileAclTests
{
    private const string Service = "S-1-5-80-1234-5678";
    private const string Users = "S-1-5-32-545";
    private const int ReadData = 0x1;
    private const int FullControl = 0x1F01FF;
    private const int ReadPermissionsAndSynchronize = 0x20000 | 0x100000;

    private static KeyFileAce Allow(string sid, string name, int rights) => new(sid, name, Allow: true, rights);

    [Fact]
    public void OnlyTheServiceAccountSystemAndAdministratorsIsAccepted()
    {
        Assert.Null(WindowsKeyFileAcl.Problem([
            Allow(Service, @"NT SERVICE\p2p-host-agent", FullControl),
            Allow(WindowsKeyFileAcl.LocalSystemSid, @"NT AUTHORITY\SYSTEM", FullControl),
            Allow(WindowsKeyFileAcl.AdministratorsSid, @"BUILTIN\Administrators", FullControl),
        ], Service));
    }

    [Fact]
    public void AnyoneElseWithAccessIsRefusedByName()
    {
        string? problem = WindowsKeyFileAcl.Problem([
            Allow(Service, @"NT SERVICE\p2p-host-agent", FullControl),
            Allow(Users, @"BUILTIN\Users", ReadData),
            Allow(Users, @"BUILTIN\Users", unchecked((int)0x80000000)), // GENERIC_READ as a raw mask
            Allow("S-1-5-21-1-2-3-1001", @"PC\player", 0x2), // write only still counts: 0600 allows no group/other access at all
        ], Service);
        Assert.Equal(@"its ACL lets BUILTIN\Users, PC\player access this private key", problem);
    }

    [Fact]
    public void DenyRulesAndHarmlessRightsGiveNothingAway()
    {
        Assert.Null(WindowsKeyFileAcl.Problem([
            Allow(Service, "svc", FullControl),
            new KeyFileAce(Users, @"BUILTIN\Users", Allow: false, FullControl),
            Allow("S-1-1-0", "Everyone", ReadPermissionsAndSynchronize),
        ], Service));
    }

    [Fact]
    public void TheAccountTheAgentRunsAsIsWhatCounts()
    {
        // A key made for another account (e.g. by hand, as the admin) is someone else's for the service.
        Assert.Equal("its ACL lets PC\\admin access this private key",
            WindowsKeyFileAcl.Problem([Allow("S-1-5-21-1-2-3-500", @"PC\admin", FullControl)], Service));
    }
}
