using System.CommandLine;

namespace P2PCluster.LoadTool;

/// <summary>The load tool's command line: one subcommand per scenario, each ending with one <c>RESULT</c> line.</summary>
public static class LoadCommand
{
    public static RootCommand Create()
    {
        var connections = Positive(new Option<int>("--connections") { Description = "Connections per server, opened before the window", DefaultValueFactory = _ => 1000 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured seconds per server and depth (for the gateway scenario cut into --slices that alternate with echo slices)", DefaultValueFactory = _ => 10 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured load before each window, in seconds (a quarter of it before each later slice)", DefaultValueFactory = _ => 2 });
        var pipeline = Positive(new Option<int>("--pipeline") { Description = "PINGs in flight per connection in the pipelined runs (send that many, read that many)", DefaultValueFactory = _ => 16 });
        var prime = new Option<int>("--prime") { Description = "Light, unmeasured load per server (and per PING kind) before its first window, in seconds, so the JIT has optimized the hot paths", DefaultValueFactory = _ => 3 };
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each window is cut into, alternating with the slices of what it is compared with (echo, or fresh vs cached grain references) so both see the same machine", DefaultValueFactory = _ => 5 });
        var local = new Option<bool>("--local") { Description = "Also measure PINGs the gateway answers itself (no grain call)", DefaultValueFactory = _ => true };

        var gateway = new Command("gateway", "Round trips per second: raw Pipelines echo server, then the in-process gateway without and with encryption")
        {
            connections, seconds, warmup, pipeline, prime, slices, local,
        };
        var grain = new Command("grain", "Calls per second to the gateway's probe grain inside the silo, without the network (what one ThroughCluster PING costs Orleans)")
        {
            connections, seconds, warmup, pipeline, prime, slices,
        };

        var hosts = Positive(new Option<int>("--hosts") { Description = "Candidate hosts in the directory (70 % P2P, 30 % VPS)", DefaultValueFactory = _ => 1000 });
        var callers = Positive(new Option<int>("--callers") { Description = "Concurrent callers, each with one placement in flight", DefaultValueFactory = _ => 64 });
        var refresh = Positive(new Option<int>("--refresh-ms") { Description = "How often each host re-upserts its entry (distribution.directory_refresh_ms)", DefaultValueFactory = _ => 2000 });
        var linear = new Option<bool>("--linear") { Description = "Also measure the linear scan the directory used before its index, in slices alternating with it", DefaultValueFactory = _ => true };
        var placement = new Command("placement", "Placement decisions per second from the host directory grain in the silo, over candidate hosts that keep refreshing")
        {
            hosts, callers, refresh, seconds, warmup, prime, slices, linear,
        };

        Func<ParseResult, ScenarioOptions> read = result => new ScenarioOptions(
            result.GetValue(connections), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            result.GetValue(pipeline), result.CommandResult.Command == gateway && result.GetValue(local),
            TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices));
        gateway.SetAction((result, cancellationToken) => RunAsync(GatewayScenario.RunAsync, read(result), cancellationToken));
        grain.SetAction((result, cancellationToken) => RunAsync(GrainScenario.RunAsync, read(result), cancellationToken));
        placement.SetAction((result, cancellationToken) => RunAsync(PlacementScenario.RunAsync, new PlacementOptions(
            result.GetValue(hosts), result.GetValue(callers), TimeSpan.FromMilliseconds(result.GetValue(refresh)),
            TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices), result.GetValue(linear)), cancellationToken));

        return new RootCommand("P2PCluster load tool (results go to docs/benchmarks.md)") { gateway, grain, placement };
    }

    private static async Task<int> RunAsync<TOptions>(Func<TOptions, CancellationToken, Task<int>> scenario, TOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await scenario(options, cancellationToken);
        }
        catch (LoadToolException e)
        {
            Console.Error.WriteLine($"loadtool: {e.Message}");
            return 1;
        }
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1");
        });
        return option;
    }
}
