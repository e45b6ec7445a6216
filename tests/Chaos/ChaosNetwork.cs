namespace P2PCluster.Chaos;

/// <summary>
/// A network namespace of the suite's own joined to this one by a veth pair on a private /24 (10.213.N.0/24), with no
/// route beyond it: the host side holds <see cref="SiloAddressA"/> and <see cref="SiloAddressB"/> (one per silo's
/// gateway, so both can use the same ports as two machines would), the namespace side <see cref="AgentAddress"/>. A
/// partition drops every packet on the namespace's side (iptables inside the namespace: silent, like a cut cable);
/// healing removes the rules. Needs root (CAP_NET_ADMIN); <see cref="Unavailable"/> says why not.
/// </summary>
public sealed class ChaosNetwork : IAsyncDisposable
{
    private readonly string _name, _hostVeth, _namespaceVeth;

    private ChaosNetwork(int subnet)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        (_name, _hostVeth, _namespaceVeth) = ($"p2pchaos-{id}", $"pch{id}", $"pcn{id}");
        SiloAddressA = $"10.213.{subnet}.1";
        SiloAddressB = $"10.213.{subnet}.3";
        AgentAddress = $"10.213.{subnet}.2";
    }

    public string SiloAddressA { get; }
    public string SiloAddressB { get; }
    public string AgentAddress { get; }

    /// <summary>What runs a program inside the namespace (<c>ip netns exec</c> execs it in place).</summary>
    public IReadOnlyList<string> Launcher => ["ip", "netns", "exec", _name];

    /// <summary>Why namespaces cannot be made here, or null when they can.</summary>
    public static string? Unavailable { get; } = Probe();

    private static string? Probe()
    {
        if (Environment.UserName != "root") return "network namespaces need root (CAP_NET_ADMIN); run the chaos suite as root";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/usr/bin/ip") && !File.Exists("/sbin/ip")) return "iproute2 (ip) is not installed";
        if (!File.Exists("/usr/sbin/iptables") && !File.Exists("/sbin/iptables")) return "iptables is not installed";
        return null;
    }

    public static async Task<ChaosNetwork> CreateAsync()
    {
        var network = new ChaosNetwork(Random.Shared.Next(1, 255));
        string ns = network._name, host = network._hostVeth, inner = network._namespaceVeth;
        await Posix.RunAsync("ip", "netns", "add", ns);
        try
        {
            await Posix.RunAsync("ip", "link", "add", host, "type", "veth", "peer", "name", inner);
            await Posix.RunAsync("ip", "link", "set", inner, "netns", ns);
            await Posix.RunAsync("ip", "addr", "add", network.SiloAddressA + "/24", "dev", host);
            await Posix.RunAsync("ip", "addr", "add", network.SiloAddressB + "/24", "dev", host);
            await Posix.RunAsync("ip", "link", "set", host, "up");
            await network.InsideAsync("ip", "addr", "add", network.AgentAddress + "/24", "dev", inner);
            await network.InsideAsync("ip", "link", "set", inner, "up");
            await network.InsideAsync("ip", "link", "set", "lo", "up");
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
        return network;
    }

    /// <summary>Every packet in or out of the namespace's veth is dropped from now on.</summary>
    public async Task PartitionAsync()
    {
        await InsideAsync("iptables", "-A", "INPUT", "-i", _namespaceVeth, "-j", "DROP");
        await InsideAsync("iptables", "-A", "OUTPUT", "-o", _namespaceVeth, "-j", "DROP");
    }

    public Task HealAsync() => InsideAsync("iptables", "-F");

    private Task<string> InsideAsync(string file, params string[] arguments) => Posix.RunAsync("ip", ["netns", "exec", _name, file, .. arguments]);

    public async ValueTask DisposeAsync()
    {
        // Deleting the namespace deletes its end of the pair, and with it the host's end.
        try { await Posix.RunAsync("ip", "netns", "del", _name); } catch (InvalidOperationException) { }
        try { await Posix.RunAsync("ip", "link", "del", _hostVeth); } catch (InvalidOperationException) { }
    }
}
