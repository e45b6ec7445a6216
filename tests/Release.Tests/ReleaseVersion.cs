using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using P2PCluster.TestSupport;

namespace P2PCluster.Release.Tests;

/// <summary>
/// The version every program of this build carries: Directory.Build.props' VersionPrefix, then <c>+</c> and the git
/// commit it was built from (the test assembly is built with the same properties, so its version is the expected one).
/// </summary>
public static partial class ReleaseVersion
{
    /// <summary>What <c>--version</c> prints, e.g. <c>0.15.0+9b5d6a72e68f5025db4dae7b6337f57598c68f94</c>.</summary>
    public static string Expected { get; } =
        typeof(ReleaseVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>Directory.Build.props' <c>VersionPrefix</c>: the version of an untagged build.</summary>
    public static string Prefix { get; } = ReadPrefix();

    /// <summary>In a git checkout the commit is part of the version; a source tree without .git has none.</summary>
    public static bool FromGitCheckout => Path.Exists(Path.Combine(RepoPaths.Root, ".git"));

    /// <summary>A release version: X.Y.Z, an optional pre-release suffix, and <c>+</c> the 40-digit commit.</summary>
    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9a-f]{40})?$")]
    public static partial Regex Shape();

    private static string ReadPrefix()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        return props.Descendants("VersionPrefix").SingleOrDefault()?.Value
            ?? throw new InvalidOperationException("Directory.Build.props sets no <VersionPrefix>: every program would call itself 1.0.0");
    }
}
