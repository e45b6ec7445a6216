namespace P2PCluster.Protocol.Fuzz;

/// <summary>An input broke a property the harness checks (not a crash of the code under test, but as bad): AFL records it as a crash.</summary>
public sealed class Finding(string message) : Exception(message)
{
    public static void Require(bool condition, string message)
    {
        if (!condition) throw new Finding(message);
    }
}
