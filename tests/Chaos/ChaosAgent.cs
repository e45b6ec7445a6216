using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>
/// One host agent of the chaos cluster, restartable with the same identity (key file) and map ports. It records what
/// the double-hosting detector needs besides the agent's log: when a run was killed and when it was frozen
/// (SIGSTOP…SIGCONT), since a frozen or dead process serves nobody whatever its log last said.
/// </summary>
public sealed class ChaosAgent(string name, string kind, int maxMaps, string endpoints, string coordinatorKey, int dbProxyPort, string address,
    int portRangeStart, IReadOnlyList<string>? launcher)
{
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("p2p-chaos-agent-").FullName, "host_ed25519.pem");
    private readonly string _metricsFile = WriteMetrics();

    public string Name => name;
    public string Kind => kind;
    public bool InNamespace => launcher is not null;
    public ProgramProcess? Process { get; private set; }
    public string HostId { get; private set; } = "";
    public List<ProgramProcess> Runs { get; } = [];

    /// <summary>Times the agent could not serve though its log says nothing: frozen (SIGSTOP…SIGCONT).</summary>
    public List<(DateTime From, DateTime To)> Freezes { get; } = [];

    /// <summary>When each run was killed (its log just stops there).</summary>
    public Dictionary<ProgramProcess, DateTime> Killed { get; } = [];

    private DateTime _frozenAt;

    public bool Running => Process is { HasExited: false };

    public async Task StartAsync()
    {
        Process = ProgramProcess.Start("HostAgent", [], new Dictionary<string, string>
        {
            ["P2P_coordinator__endpoints"] = endpoints,
            ["P2P_coordinator__public_key"] = coordinatorKey,
            ["P2P_coordinator__heartbeat_interval_ms"] = "200",
            ["P2P_coordinator__db_proxy_port"] = dbProxyPort.ToString(),
            ["P2P_identity__kind"] = kind,
            ["P2P_identity__key_file"] = _keyFile,
            ["P2P_identity__advertised_host"] = address,
            ["P2P_node__max_maps"] = maxMaps.ToString(),
            ["P2P_maps__port_range_start"] = portRangeStart.ToString(),
            ["P2P_maps__port_range_end"] = (portRangeStart + 9).ToString(),
            ["P2P_maps__bind_address"] = address,
            // A busy test machine's real cpu often tops the 80 % limit and would make every host shed its maps.
            ["P2P_resources__metrics_file"] = _metricsFile,
        }, launcher: launcher);
        Runs.Add(Process);
        string line = await Process.WaitForLineAsync("Connected to coordinator", TimeSpan.FromSeconds(90));
        int at = line.IndexOf(" as ", StringComparison.Ordinal) + 4;
        HostId = line[at..line.IndexOf(' ', at)];
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        var process = Process!;
        Killed[process] = DateTime.UtcNow;
        process.Kill();
    }

    public void Freeze()
    {
        _frozenAt = DateTime.UtcNow;
        Process!.Signal(Posix.SigStop);
    }

    public void Thaw()
    {
        Process!.Signal(Posix.SigCont);
        Freezes.Add((_frozenAt, DateTime.UtcNow));
    }

    /// <summary>The end of each run's output.</summary>
    public string Logs() => string.Concat(Runs.Select((run, i) => $"--- agent {name} ({HostId}) run {i} (last lines) ---\n{ChaosSilo.Tail(run.Output)}"));

    private static string WriteMetrics()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("p2p-chaos-load-").FullName, "metrics");
        File.WriteAllText(path, "cpu=10\nmemory=10\nnetwork=1\n");
        return path;
    }
}
