namespace P2PCluster.Control.Tests;

/// <summary>
/// An operator's shell that sets p2p-control's variables (P2P_CONTROL_*) also starts silos: those variables are the
/// tool's, not configuration, and must not stop the silo with "CONTROL_URL: unknown section" (as P2P_CLIENT_* for p2p-client).
/// </summary>
public sealed class OperatorShellTests
{
    [Fact]
    public async Task ASiloStartsWithTheControlVariablesInItsEnvironment()
    {
        var shell = new Dictionary<string, string>
        {
            ["P2P_CONTROL_URL"] = "http://127.0.0.1:8080",
            ["P2P_CONTROL_KEY"] = "k",
            ["P2P_CONTROL_KEY_FILE"] = "/etc/p2p/ops.key",
            ["P2P_CONTROL_CONFIG"] = "/etc/p2p/control.conf",
        };
        await using var silo = await ControlSilo.StartAsync(demo: false, extra: shell);
        var status = await ControlRun.RunAsync(silo.ControlEnvironment(), "status");
        Assert.True(status.ExitCode == 0, status.ToString());
    }
}
