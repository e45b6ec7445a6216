using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>P2P_&lt;section&gt;__&lt;key&gt;</c> environment variables, except the tools' own: <c>P2P_CLIENT_*</c> belong to
/// the game client (<c>P2P_CLIENT_PASSWORD</c>) and <c>P2P_CONTROL_*</c> to p2p-control (<c>P2P_CONTROL_URL</c>), and a
/// shell that runs a tool and a silo or agent must not stop them with "CLIENT_PASSWORD: unknown section".
/// </summary>
public sealed class P2PEnvironmentVariables : IConfigurationSource
{
    public const string ClientPrefix = "CLIENT_";
    public const string ControlPrefix = "CONTROL_";

    /// <summary>Prefixes (after <c>P2P_</c>) of variables that belong to our tools, not to configuration.</summary>
    public static readonly string[] ToolPrefixes = [ClientPrefix, ControlPrefix];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider() : EnvironmentVariablesConfigurationProvider(P2PConfiguration.EnvironmentPrefix)
    {
        public override void Load()
        {
            base.Load();
            foreach (string key in Data.Keys.Where(k => ToolPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
                Data.Remove(key);
        }
    }
}
