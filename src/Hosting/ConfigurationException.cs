namespace P2PCluster.Hosting;

/// <summary>Start-up configuration is unusable; every entry of <see cref="Errors"/> names the key or file at fault.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
