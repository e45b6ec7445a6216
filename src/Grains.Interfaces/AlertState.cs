namespace P2PCluster.Grains.Interfaces;

/// <summary>Where an alert is in its lifecycle (lower case in webhooks and the history).</summary>
public enum AlertState : byte
{
    /// <summary>The rule's condition holds, not yet for the rule's <c>for_ms</c>: nobody has been told.</summary>
    Pending = 0,
    /// <summary>The condition has held long enough: logged, recorded and sent once.</summary>
    Firing = 1,
    /// <summary>A firing alert whose condition ended: logged, recorded and sent once.</summary>
    Resolved = 2,
}
