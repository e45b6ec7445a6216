namespace P2PCluster.Grains.Interfaces;

/// <summary>Where a character is in its journey between map hosts.</summary>
public enum SessionState : byte
{
    Offline = 0,
    Resolving = 1,
    OnMap = 2,
    Moving = 3,
}
