namespace P2PCluster.Hosting;

/// <summary>Names the configuration section an options class is read from.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConfigSectionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
