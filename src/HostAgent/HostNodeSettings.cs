using Microsoft.Extensions.Configuration;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent;

/// <summary>Everything <c>conf/p2p/host_node.conf</c> configures, read and validated as one.</summary>
public sealed record HostNodeSettings(
    NodeOptions Node,
    ResourcesOptions Resources,
    CoordinatorLinkOptions Coordinator,
    IdentityOptions Identity,
    MapsOptions Maps,
    MetricsOptions Metrics,
    LoggingSettings Logging,
    string? SourceFile)
{
    public const string DefaultPath = "conf/p2p/host_node.conf";

    /// <summary>The endpoint IDENTIFY claims: <c>advertised_host:port_range_start</c> (each map's own port comes in MAP_STATE).</summary>
    public string IdentifyEndpoint => CoordinatorEndpoint.Format(Identity.AdvertisedHost, Maps.PortRangeStart);

    /// <summary>
    /// Reads <paramref name="configPath"/> (or this system's default file, <see cref="AgentPaths"/>) plus environment
    /// overrides; throws <see cref="ConfigurationException"/> naming every bad key.
    /// </summary>
    public static HostNodeSettings Load(string? configPath)
    {
        var paths = AgentPaths.ForThisSystem();
        var configuration = P2PConfiguration.Build(configPath, paths.DefaultConfigFile);
        return Load(configuration, P2PConfiguration.SourceFile(configuration), paths);
    }

    /// <summary>
    /// Checks syntax and ranges only; files named by keys are checked where they are opened (<see cref="PinnedCoordinatorKey"/>,
    /// <see cref="HostIdentity"/>). Relative file names are resolved by <paramref name="paths"/> (default: unchanged).
    /// </summary>
    public static HostNodeSettings Load(IConfiguration configuration, string? sourceFile = null, AgentPaths? paths = null)
    {
        var loader = new OptionsLoader(configuration);
        var settings = new HostNodeSettings(loader.Load<NodeOptions>(), loader.Load<ResourcesOptions>(), loader.Load<CoordinatorLinkOptions>(),
            loader.Load<IdentityOptions>(), loader.Load<MapsOptions>(), loader.Load<MetricsOptions>(), loader.Load<LoggingSettings>(), sourceFile);
        loader.ThrowIfInvalid();
        settings.CheckPortRange();
        settings.ResolveFiles(paths ?? AgentPaths.Posix);
        return settings;
    }

    /// <summary>What <c>--check-config</c> prints: every effective value.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"config: {SourceFile ?? "(built-in defaults)"}";
        yield return $"node: max_maps={Node.MaxMaps} max_players={Node.MaxPlayers} update_interval={Node.UpdateInterval}ms";
        yield return $"resources: cpu_limit={Resources.CpuLimit}% memory_limit={Resources.MemoryLimit}% network_limit={Resources.NetworkLimit}Mbit/s"
            + (Resources.MetricsFile.Length > 0 ? $" metrics_file={Resources.MetricsFile} (TEST/DEMO ONLY)" : "");
        yield return $"coordinator: endpoints={string.Join(",", Coordinator.EndpointList)} public_key={Coordinator.PublicKey} "
            + $"require_encryption={(Coordinator.RequireEncryption ? "true" : "false")} heartbeat_interval={Coordinator.HeartbeatIntervalMs}ms lease={Coordinator.LeaseMs}ms db_proxy_port={Coordinator.DbProxyPort}";
        yield return $"identity: key_file={Identity.KeyFile} kind={Identity.Kind.ToString().ToLowerInvariant()} advertised_host={Identity.AdvertisedHost} (endpoint {IdentifyEndpoint})";
        yield return $"maps: ports={Maps.PortRangeStart}-{Maps.PortRangeEnd} bind_address={Maps.BindAddress} "
            + $"command={(Maps.Command.Length == 0 ? "(built-in instance)" : Maps.Command)} restart_backoff={Maps.RestartBackoffMs}ms";
        yield return $"metrics: listen={(Metrics.Enabled ? $"{Metrics.Listen} (http://{Metrics.Listen}/metrics)" : "(off)")}";
        yield return Logging.Describe();
    }

    private void ResolveFiles(AgentPaths paths)
    {
        Identity.KeyFile = paths.Resolve(Identity.KeyFile);
        Resources.MetricsFile = paths.Resolve(Resources.MetricsFile);
        // public_key is a file name unless it is the key itself (PEM text, hex or base64).
        if (!Coordinator.PublicKey.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) && KeyFiles.ParsePublic(Coordinator.PublicKey) is null)
            Coordinator.PublicKey = paths.Resolve(Coordinator.PublicKey);
    }

    private void CheckPortRange()
    {
        int ports = Maps.PortRangeEnd - Maps.PortRangeStart + 1;
        if (ports < Node.MaxMaps)
            throw new ConfigurationException([
                $"maps.port_range_start..maps.port_range_end ({Maps.PortRangeStart}-{Maps.PortRangeEnd}) holds {ports} port(s), fewer than node.max_maps = {Node.MaxMaps}; each map needs its own"]);
    }
}
