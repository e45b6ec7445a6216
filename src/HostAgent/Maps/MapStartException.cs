namespace P2PCluster.HostAgent.Maps;

/// <summary>A map instance could not be started (port taken, program missing…); the message says why.</summary>
public sealed class MapStartException(string message, Exception? inner = null) : Exception(message, inner);
