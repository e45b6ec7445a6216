using P2PCluster.TestSupport;

namespace P2PCluster.Deploy.Tests;

/// <summary>Free loopback ports for one coordinator, as <c>P2P_</c> overrides of the installed p2p.conf.</summary>
public sealed record CoordinatorPorts(int Gateway, int DbProxy, int Silo, int ClusterGateway, int Http)
{
    public static CoordinatorPorts Next() => new(FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

    public string HttpUrl => $"http://127.0.0.1:{Http}";

    public Dictionary<string, string> Environment() => new()
    {
        ["P2P_coordinator__port"] = Gateway.ToString(),
        ["P2P_coordinator__db_proxy_port"] = DbProxy.ToString(),
        ["P2P_coordinator__bind_address"] = "127.0.0.1",
        ["P2P_cluster__silo_port"] = Silo.ToString(),
        ["P2P_cluster__gateway_port"] = ClusterGateway.ToString(),
        ["P2P_cluster__advertised_address"] = "127.0.0.1",
        ["P2P_http__urls"] = HttpUrl,
    };

    /// <summary>Starts the installed <paramref name="program"/> (p2p-coordinator or p2p-gateway) on these ports as its unit does.</summary>
    public Task<ServiceProcess> StartAsync(InstallPrefix install, NotifySocket notify, IReadOnlyDictionary<string, string>? more = null,
        string program = "p2p-coordinator", params string[] arguments)
    {
        var environment = Environment();
        if (more is not null)
            foreach (var (key, value) in more) environment[key] = value;
        return ServiceProcess.StartAsync(install.Executable(program), ["--config", Path.Combine(install.Config, "p2p.conf"), .. arguments],
            install.State, notify.Path, environment);
    }
}
