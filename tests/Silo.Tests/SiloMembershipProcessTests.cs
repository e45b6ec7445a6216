using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// Silo processes on MariaDB and what the cluster's membership does to them: a silo the others declared dead exits
/// with its own documented code (a supervisor restarts it), and the cluster ports listen only where they should.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class SiloMembershipProcessTests(MariaDbFixture db, ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>docs/operations.md: "declared dead by the cluster; restart it".</summary>
    private const int DeclaredDead = 4;

    [Fact]
    public async Task SiloDeclaredDeadWhileFrozenExitsWithItsOwnCodeWhenItWakes()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("declared");
        string clusterId = "d" + Guid.NewGuid().ToString("N")[..8];
        using var key = new KeyFile();
        var survivor = SiloProcess.Start(connectionString, clusterId, key.Path);
        var frozen = SiloProcess.Start(connectionString, clusterId, key.Path);
        await using var _s = survivor.Process;
        await using var _f = frozen.Process;
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, survivor.SiloPort, ClusterOnMariaDbTests.Active, StartTimeout);
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, frozen.SiloPort, ClusterOnMariaDbTests.Active, StartTimeout);

        var watch = Stopwatch.StartNew();
        frozen.Process.Signal(19); // SIGSTOP: a hung VM; the survivor's probes go unanswered until it evicts it
        try
        {
            await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, frozen.SiloPort, ClusterOnMariaDbTests.Dead, TimeSpan.FromSeconds(60));
        }
        finally
        {
            frozen.Process.Signal(18); // SIGCONT
        }
        output.WriteLine($"frozen silo declared Dead {watch.ElapsedMilliseconds} ms after SIGSTOP");

        watch.Restart();
        int code = await frozen.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"woken silo exited {code} after {watch.ElapsedMilliseconds} ms");
        Assert.True(code == DeclaredDead, $"exit code {code}:\n{frozen.Process.Output}");
        Assert.Contains("declared this silo dead", frozen.Process.Output);
        Assert.False(survivor.Process.HasExited, survivor.Process.Output);

        // The survivor, on MariaDB, leaves as promptly as the embedded default (SiloShutdownTests).
        watch.Restart();
        survivor.Process.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await survivor.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"survivor: SIGTERM → exit 0 after {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}:\n{survivor.Process.Output}");
        Assert.DoesNotContain("failed to deactivate", survivor.Process.Output);
    }

    [Fact]
    public async Task ClusterPortsListenOnlyOnTheAdvertisedAddress()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("bind");
        using var key = new KeyFile();
        var silo = SiloProcess.Start(connectionString, "b" + Guid.NewGuid().ToString("N")[..8], key.Path);
        await using var _ = silo.Process;
        await silo.Process.WaitForLineAsync("Silo started", StartTimeout);

        Assert.Equal(["127.0.0.1"], ListeningAddresses(silo.SiloPort));
        Assert.Equal(["127.0.0.1"], ListeningAddresses(silo.GatewayPort));
        // And from outside: the machine's other addresses refuse (when it has any).
        foreach (var address in OtherLocalAddresses())
        {
            using var client = new TcpClient();
            Assert.ThrowsAny<SocketException>(() => client.Connect(address, silo.SiloPort));
            output.WriteLine($"{address}:{silo.SiloPort} refused");
        }
    }

    [Fact]
    public async Task BindAddressOptsInToEveryAddress()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("bindany");
        using var key = new KeyFile();
        var silo = SiloProcess.Start(connectionString, "a" + Guid.NewGuid().ToString("N")[..8], key.Path,
            environment: new Dictionary<string, string> { ["P2P_cluster__bind_address"] = "0.0.0.0" });
        await using var _ = silo.Process;
        await silo.Process.WaitForLineAsync("Silo started", StartTimeout);

        Assert.Equal(["0.0.0.0"], ListeningAddresses(silo.SiloPort));
        Assert.Equal(["0.0.0.0"], ListeningAddresses(silo.GatewayPort));
    }

    /// <summary>The local addresses of the sockets listening on <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var found = new List<string>();
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A") continue; // 0A = LISTEN
                string[] local = fields[1].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber) != port) continue;
                byte[] bytes = Convert.FromHexString(local[0]);
                // The kernel prints each 32-bit word in host (little-endian) order.
                for (int i = 0; i < bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
                var address = new IPAddress(bytes);
                found.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            }
        }
        return found;
    }

    private static IEnumerable<IPAddress> OtherLocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .Take(1);
}
