using System.Reflection;
using System.Text.RegularExpressions;

namespace P2PCluster.Hosting.Tests;

/// <summary>
/// conf/p2p/p2p.conf documents the defaults by setting them: each key it sets must equal the code's default, and each
/// <c>distribution:</c> key must be there (its defaults are written once, in <see cref="DistributionOptions"/>).
/// </summary>
public sealed partial class ShippedConfigDefaultsTests
{
    private static readonly string ConfPath = Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", "p2p.conf");

    [GeneratedRegex(@"^  (?<key>[a-z0-9_]+):")]
    private static partial Regex KeyLine();

    /// <summary>The keys p2p.conf sets directly under the top-level section <paramref name="section"/>.</summary>
    private static HashSet<string> KeysIn(string section)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        bool inside = false;
        foreach (string line in File.ReadLines(ConfPath))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#')) inside = line.StartsWith(section + ":", StringComparison.Ordinal);
            else if (inside && KeyLine().Match(line) is { Success: true } m) keys.Add(m.Groups["key"].Value);
        }
        return keys;
    }

    private static IEnumerable<(string Key, PropertyInfo Property)> ConfigKeys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<ConfigKeyAttribute>() is not null)
            .Select(p => (p.GetCustomAttribute<ConfigKeyAttribute>()!.Key, p));

    [Fact]
    public void EveryDistributionKeyIsInTheShippedFileWithTheCodesDefault()
    {
        var fromFile = CoordinatorSettings.Load(P2PConfiguration.Build(ConfPath, "unused")).Distribution;
        var defaults = new DistributionOptions();
        var documented = KeysIn("distribution");
        var keys = ConfigKeys(typeof(DistributionOptions)).ToList();
        Assert.NotEmpty(keys);
        foreach (var (key, property) in keys)
        {
            Assert.True(documented.Contains(key), $"distribution.{key} is not documented in conf/p2p/p2p.conf");
            Assert.True(Equals(property.GetValue(defaults), property.GetValue(fromFile)),
                $"distribution.{key}: p2p.conf says {property.GetValue(fromFile)}, the code's default is {property.GetValue(defaults)}");
        }
        Assert.Equal(documented.Order(), keys.Select(k => k.Key).Order());
    }

    [Fact]
    public void TheGrainsTimingViewsAreTheKeysInMilliseconds()
    {
        var o = new DistributionOptions
        {
            HeartbeatTimeoutMs = 1, ReconnectGraceMs = 2, FailoverGraceMs = 3, OverloadWindowMs = 4, RebalanceCooldownMs = 5,
            DirectoryRefreshMs = 6, SuspectWindowMs = 7, ReminderPeriodMs = 8,
        };
        Assert.Equal(
            [1, 2, 3, 4, 5, 6, 7, 8],
            new[] { o.HeartbeatTimeout, o.ReconnectGrace, o.FailoverGrace, o.OverloadWindow, o.RebalanceCooldown, o.DirectoryRefresh, o.SuspectWindow, o.ReminderPeriod }
                .Select(t => t.TotalMilliseconds));
    }

    [Fact]
    public void EveryKeyTheShippedFileSetsEqualsTheCodesDefault()
    {
        var fromFile = CoordinatorSettings.Load(P2PConfiguration.Build(ConfPath, "unused"));
        var defaults = CoordinatorSettings.Load(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var differ = new List<string>();
        foreach (var section in typeof(CoordinatorSettings).GetProperties())
        {
            if (section.PropertyType.GetCustomAttribute<ConfigSectionAttribute>() is { } attribute)
                Compare(attribute.Name, section.PropertyType, section.GetValue(defaults), section.GetValue(fromFile), differ, depth: 0);
        }
        Assert.True(differ.Count == 0, string.Join("\n", differ));
    }

    /// <summary>Compares every key of <paramref name="type"/>, nested sections (as alerts.rules) key by key.</summary>
    private static void Compare(string path, Type type, object? code, object? file, List<string> differ, int depth)
    {
        Assert.True(depth < 8, $"{path}: nested too deep");
        foreach (var (key, property) in ConfigKeys(type))
        {
            object? a = property.GetValue(code), b = property.GetValue(file);
            if (ConfigKeys(property.PropertyType).Any()) Compare($"{path}.{key}", property.PropertyType, a, b, differ, depth + 1);
            else if (!Equals(a, b) && !(a is System.Collections.IEnumerable ea && b is System.Collections.IEnumerable eb && ea.Cast<object>().SequenceEqual(eb.Cast<object>())))
                differ.Add($"{path}.{key}: p2p.conf sets {b}, the code's default is {a}");
        }
    }
}
