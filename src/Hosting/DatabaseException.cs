namespace P2PCluster.Hosting;

/// <summary>The configured database cannot be used; the message names the server and what to do.</summary>
public sealed class DatabaseException(string message, Exception? inner = null) : Exception(message, inner);
