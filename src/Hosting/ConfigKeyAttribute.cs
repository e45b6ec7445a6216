namespace P2PCluster.Hosting;

/// <summary>Names the configuration key (snake_case, as in the seed's YAML) an options property is read from.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
