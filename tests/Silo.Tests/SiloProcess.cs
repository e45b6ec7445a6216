using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>A silo process on MariaDB with its own ports, advertised on loopback.</summary>
public sealed record SiloProcess(ProgramProcess Process, int SiloPort, int GatewayPort, int HttpPort, int CoordinatorPort, int DbProxyPort)
{
    public static SiloProcess Start(string connectionString, string clusterId, string keyFile, string? configFile = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        int coordinatorPort = FreePort.Next();
        int siloPort = FreePort.Next(), gatewayPort = FreePort.Next(), httpPort = FreePort.Next(), dbProxyPort = FreePort.Next();
        var variables = new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_cluster__cluster_id"] = clusterId,
            ["P2P_cluster__advertised_address"] = "127.0.0.1",
            ["P2P_cluster__silo_port"] = siloPort.ToString(),
            ["P2P_cluster__gateway_port"] = gatewayPort.ToString(),
            ["P2P_coordinator__port"] = coordinatorPort.ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_security__coordinator_key_file"] = keyFile,
            ["P2P_coordinator__db_proxy_port"] = dbProxyPort.ToString(),
            ["P2P_http__urls"] = $"http://127.0.0.1:{httpPort}",
        };
        if (environment is not null)
            foreach (var (name, value) in environment) variables[name] = value;
        var process = ProgramProcess.Start("Silo", configFile is null ? [] : ["--config", configFile], variables);
        return new SiloProcess(process, siloPort, gatewayPort, httpPort, coordinatorPort, dbProxyPort);
    }
}
