namespace P2PCluster.Hosting.Keys;

/// <summary>Where a coordinator key stands in the key set at a moment (docs/operations.md, "Keys and rollover").</summary>
public enum CoordinatorKeyState
{
    /// <summary>Announced: verifies, and becomes the signing key at its activateAt.</summary>
    Next,

    /// <summary>The one key every silo and gateway signs tickets and handshakes with.</summary>
    Active,

    /// <summary>Superseded: still verifies until its retireAt, signs nothing.</summary>
    Retiring,

    /// <summary>Trusted by nobody from revokedAt on; kept so agents learn to drop it.</summary>
    Revoked,
}
