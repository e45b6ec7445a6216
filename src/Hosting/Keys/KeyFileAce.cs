namespace P2PCluster.Hosting.Keys;

/// <summary>One access rule of a key file's Windows ACL, as <see cref="WindowsKeyFileAcl.Problem"/> judges it.</summary>
/// <param name="Sid">The security identifier, e.g. <c>S-1-5-32-545</c> (Users).</param>
/// <param name="Name">The account's name for messages (the SID when it has none).</param>
/// <param name="Allow">An allow rule (deny rules never widen access).</param>
/// <param name="Rights">The FileSystemRights / generic access mask bits.</param>
public readonly record struct KeyFileAce(string Sid, string Name, bool Allow, int Rights);
