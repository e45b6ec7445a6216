using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>P2P_&lt;section&gt;__&lt;key&gt;</c> environment variables, except <c>P2P_CLIENT_*</c>: those belong to the
/// game client (<c>P2P_CLIENT_PASSWORD</c>), and a shell that runs both must not stop a silo or agent with
/// "CLIENT_PASSWORD: unknown section".
/// </summary>
public sealed class P2PEnvironmentVariables : IConfigurationSource
{
    public const string ClientPrefix = "CLIENT_";

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider() : EnvironmentVariablesConfigurationProvider(P2PConfiguration.EnvironmentPrefix)
    {
        public override void Load()
        {
            base.Load();
            foreach (string key in Data.Keys.Where(k => k.StartsWith(ClientPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
                Data.Remove(key);
        }
    }
}
