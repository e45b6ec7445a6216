using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>
/// One silo of the chaos cluster: its gateway (players and agents) and database proxy on <see cref="Address"/> at the
/// ports every silo of the cluster shares, its Orleans ports its own. <see cref="StartAsync"/> starts it again on the
/// same ports after a fault killed it.
/// </summary>
public sealed class ChaosSilo(string name, string address, int coordinatorPort, int dbProxyPort, string connectionString, string clusterId,
    string keyFile, string configFile)
{
    public string Name => name;
    public string ClusterId => clusterId;
    public string Address => address;
    public int SiloPort { get; } = FreePort.Next();
    public int OrleansGatewayPort { get; } = FreePort.Next();
    public ProgramProcess? Process { get; private set; }

    /// <summary>Every process this silo has run, the current one last (their output outlives them).</summary>
    public List<ProgramProcess> Runs { get; } = [];

    public bool Running => Process is { HasExited: false };

    /// <summary>Whether the running process ends by itself within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await Process!.WaitForExitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async Task StartAsync()
    {
        Process = ProgramProcess.Start("Silo", ["--config", configFile], new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_cluster__cluster_id"] = clusterId,
            ["P2P_cluster__advertised_address"] = "127.0.0.1",
            ["P2P_cluster__silo_port"] = SiloPort.ToString(),
            ["P2P_cluster__gateway_port"] = OrleansGatewayPort.ToString(),
            ["P2P_coordinator__port"] = coordinatorPort.ToString(),
            ["P2P_coordinator__bind_address"] = address,
            ["P2P_coordinator__db_proxy_port"] = dbProxyPort.ToString(),
            ["P2P_security__coordinator_key_file"] = keyFile,
            ["P2P_http__urls"] = "", // no dashboard: one port fewer to collide with other work on the machine
        });
        Runs.Add(Process);
        await Process.WaitForLineAsync("Silo started", TimeSpan.FromSeconds(90));
    }

    /// <summary>The end of each run's output (a failure message stays readable).</summary>
    public string Logs() => string.Concat(Runs.Select((run, i) => $"--- silo {name} run {i} (last lines) ---\n{Tail(run.Output)}"));

    internal static string Tail(string output, int lines = 150) => string.Join('\n', output.Split('\n').TakeLast(lines));
}
