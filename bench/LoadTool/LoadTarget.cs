using System.Net;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// A server to load. With a pinned <paramref name="CoordinatorKey"/> every connection does the real handshake first
/// (as <paramref name="Role"/>, and must end up <paramref name="Encrypted"/> or not, as stated); without one it sends
/// plain frames straight away.
/// </summary>
public sealed record LoadTarget(string Name, IPEndPoint Endpoint, byte[]? CoordinatorKey = null, bool Encrypted = false, PeerRole Role = PeerRole.Tool);
