namespace P2PCluster.Hosting.Keys;

/// <summary>A key set change that was refused (unknown key id, a next key already announced, ...); the message says why and what to do.</summary>
public sealed class KeySetException(string message) : Exception(message);
