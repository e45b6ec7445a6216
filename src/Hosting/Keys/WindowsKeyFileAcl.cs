using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;
using System.Text;
using P2PCluster.Protocol;

namespace P2PCluster.Hosting.Keys;

/// <summary>
/// The Windows twin of a private key file's mode 0600: an ACL with inheritance off that grants access only to the
/// account the program runs as (the service account), SYSTEM and Administrators. Keys are created that way, and a key
/// whose ACL lets anyone else in is refused, naming the file and who may read it.
/// </summary>
public static class WindowsKeyFileAcl
{
    public const string LocalSystemSid = "S-1-5-18";
    public const string AdministratorsSid = "S-1-5-32-544";

    /// <summary>
    /// Rights that give nothing away: ReadAttributes (0x80), ReadExtendedAttributes (0x8), ReadPermissions (0x20000)
    /// and Synchronize (0x100000); as numbers, since FileSystemRights is marked Windows-only and this is not.
    /// </summary>
    private const int Harmless = 0x80 | 0x8 | 0x20000 | 0x100000;

    /// <summary>
    /// Why the rules let others at the key, or null if only <paramref name="ownSid"/>, SYSTEM and Administrators have
    /// access. Pure, so the Linux build tests the rule Windows applies.
    /// </summary>
    public static string? Problem(IEnumerable<KeyFileAce> rules, string ownSid)
    {
        var others = rules
            .Where(r => r.Allow && (r.Rights & ~Harmless) != 0 && r.Sid != ownSid && r.Sid != LocalSystemSid && r.Sid != AdministratorsSid)
            .Select(r => r.Name)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        return others.Length == 0 ? null : $"its ACL lets {string.Join(", ", others)} access this private key";
    }

    /// <summary>Refuses the key file at <paramref name="path"/> if its ACL lets others in (<see cref="InvalidDataException"/> naming the file and the fix).</summary>
    [SupportedOSPlatform("windows")]
    public static void Require(string path)
    {
        var security = new FileInfo(path).GetAccessControl(AccessControlSections.Access);
        var rules = security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier))
            .OfType<FileSystemAccessRule>()
            .Select(r => new KeyFileAce(r.IdentityReference.Value, NameOf((SecurityIdentifier)r.IdentityReference),
                r.AccessControlType == AccessControlType.Allow, (int)r.FileSystemRights));
        string own = WindowsIdentity.GetCurrent().User!.Value;
        if (Problem(rules, own) is { } problem)
            throw new InvalidDataException($"{path}: {problem}; only the agent's account, SYSTEM and Administrators may (icacls \"{path}\" /inheritance:r "
                + $"/grant:r \"{NameOf(new SecurityIdentifier(own))}:F\" *{LocalSystemSid}:F *{AdministratorsSid}:F, and /remove the others)");
    }

    /// <summary>Creates a new Ed25519 key file with the restricted ACL from the start (never briefly open), failing if it exists.</summary>
    [SupportedOSPlatform("windows")]
    public static SigningIdentity CreatePrivate(string path)
    {
        var identity = SigningIdentity.Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var stream = new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.Write | FileSystemRights.ReadData, FileShare.None,
                   4096, FileOptions.None, RestrictedSecurity()))
            stream.Write(Encoding.ASCII.GetBytes(KeyFiles.PrivatePem(identity)));
        return identity;
    }

    /// <summary>Inheritance off; full control for this account, SYSTEM and Administrators; nobody else.</summary>
    [SupportedOSPlatform("windows")]
    public static FileSecurity RestrictedSecurity()
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        var own = WindowsIdentity.GetCurrent().User!;
        foreach (var sid in new[] { own, new SecurityIdentifier(LocalSystemSid), new SecurityIdentifier(AdministratorsSid) }.Distinct())
            security.AddAccessRule(new FileSystemAccessRule(sid, FileSystemRights.FullControl, AccessControlType.Allow));
        return security;
    }

    [SupportedOSPlatform("windows")]
    private static string NameOf(SecurityIdentifier sid)
    {
        try
        {
            return sid.Translate(typeof(NTAccount)).Value;
        }
        catch (IdentityNotMappedException)
        {
            return sid.Value;
        }
    }
}
