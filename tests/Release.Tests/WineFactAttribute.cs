namespace P2PCluster.Release.Tests;

/// <summary>A test that runs the win-x64 agent under wine: skipped, saying why, where wine is not installed (scripts/test.sh installs it).</summary>
public sealed class WineFactAttribute : FactAttribute
{
    public WineFactAttribute()
    {
        if (Wine.Unavailable is { } why) Skip = why;
    }
}
