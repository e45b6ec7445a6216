namespace P2PCluster.Admin.Tests;

/// <summary>
/// One embedded silo process for the auth and input tests, with a read key and an operate key configured by hash and
/// a failed-attempt limit high enough that the wrong-key tests never lock the test's address out.
/// </summary>
public sealed class AdminSiloFixture : IAsyncLifetime
{
    public const string ReadKey = "read-key-for-the-admin-tests-0123456789";
    public const string OperateKey = "operate-key-for-the-admin-tests-9876543210";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-");
    private AdminSilo? _silo;

    public AdminSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_admin__api_keys__0__name"] = "reader";
        env["P2P_admin__api_keys__0__role"] = "read";
        env["P2P_admin__api_keys__0__sha256"] = AdminSilo.Sha256Hex(ReadKey);
        env["P2P_admin__api_keys__1__name"] = "operator";
        env["P2P_admin__api_keys__1__role"] = "operate";
        env["P2P_admin__api_keys__1__sha256"] = AdminSilo.Sha256Hex(OperateKey);
        env["P2P_admin__max_failed_attempts"] = "100000";
        _silo = await AdminSilo.StartAsync(env);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
