namespace P2PCluster.Grains;

/// <summary>What a host grain's watchdog decided (<see cref="HostLiveness.Check"/>).</summary>
public enum LivenessVerdict
{
    /// <summary>Heard from in time, or still within a grace: nothing to do.</summary>
    Alive,

    /// <summary>This silo itself stood still: the host got a fresh timeout instead of the blame.</summary>
    WokeFromFreeze,

    /// <summary>A live host fell silent: declare it dead (cut it off) and move its maps.</summary>
    Silent,

    /// <summary>No host behind the maps (a dropped connection past its grace, or none since a silo death): move them.</summary>
    Gone,
}
