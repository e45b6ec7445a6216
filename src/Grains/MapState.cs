using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Persisted state of a <see cref="MapGrain"/>.</summary>
[GenerateSerializer, Alias("p2p.MapState.v1")]
public sealed class MapState
{
    [Id(0)] public MapPolicy Policy { get; set; } = MapPolicy.Default;
    [Id(1)] public MapStatus Status { get; set; } = MapStatus.Unassigned;
    [Id(2)] public MapAssignment? Assignment { get; set; }

    /// <summary>Highest epoch ever handed out; never decreases, also across release and disable.</summary>
    [Id(3)] public long Epoch { get; set; }

    /// <summary>Why the current host was chosen.</summary>
    [Id(4)] public PlacementDecision? Decision { get; set; }

    /// <summary>Where players reach the running instance (0 until the host reports it running).</summary>
    [Id(5)] public int InstancePort { get; set; }
    [Id(6)] public MapInstanceState? InstanceState { get; set; }

    /// <summary>The policy from the configuration (<c>maps:</c>); null in state written before it was kept apart (then <see cref="Policy"/>).</summary>
    [Id(7)] public MapPolicy? Configured { get; set; }

    /// <summary>The operator's override (admin API), only fields differing from <see cref="Configured"/>; <see cref="Policy"/> is the two applied.</summary>
    [Id(8)] public Interfaces.Admin.MapPolicyPatch? Override { get; set; }

    /// <summary>The last placement decisions, newest first (<see cref="PlacementHistory"/>); replaced whole, never changed in place.</summary>
    [Id(9)] public Interfaces.Admin.PlacementRecord[] History { get; set; } = [];

    /// <summary>The last network reset generation applied to this map, and the epoch it placed the map under.</summary>
    [Id(10)] public long ResetGeneration { get; set; }
    [Id(11)] public long ResetEpoch { get; set; }

    /// <summary>A copy whose members are the same (immutable) values: what a failed write restores.</summary>
    public MapState Copy() => (MapState)MemberwiseClone();
}
