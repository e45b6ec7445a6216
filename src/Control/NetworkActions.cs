using System.CommandLine;
using System.Net.Http;

namespace P2PCluster.Control;

/// <summary>
/// The root command's actions, spelled as the seed's operators type them: <c>--emergency-failover</c>,
/// <c>--resume-p2p</c>, <c>--reset-network</c>, <c>--backup-state FILE</c>, <c>--restore-state FILE [--dry-run]</c>.
/// Exactly one per run.
/// </summary>
public static class NetworkActions
{
    public static void Add(RootCommand root, ControlOptions options)
    {
        var failover = new Option<bool>("--emergency-failover")
        {
            Description = "Move every map on a P2P host to VPS and pause P2P placement until --resume-p2p (prints maps moved n/N)",
        };
        var resume = new Option<bool>("--resume-p2p") { Description = "Resume P2P placement after an emergency failover" };
        var reset = new Option<bool>("--reset-network")
        {
            Description = "Revoke every assignment with a new epoch; the maps are placed again (prints maps moved n/N)",
        };
        var backup = new Option<string?>("--backup-state")
        {
            Description = "Save map policy overrides, host approvals and bans (and the key set's public part where the API has it) to a versioned, checksummed file",
            HelpName = "file",
        };
        var restore = new Option<string?>("--restore-state")
        {
            Description = "Put a --backup-state file's state back: only what differs changes, so running it twice changes nothing the second time",
            HelpName = "file",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --restore-state: print what would change, change nothing" };
        foreach (var option in (Option[])[failover, resume, reset, backup, restore, dryRun]) root.Add(option);

        root.SetAction((result, cancellationToken) =>
        {
            var chosen = new List<string>();
            if (result.GetValue(failover)) chosen.Add(failover.Name);
            if (result.GetValue(resume)) chosen.Add(resume.Name);
            if (result.GetValue(reset)) chosen.Add(reset.Name);
            if (result.GetResult(backup) is not null) chosen.Add(backup.Name);
            if (result.GetResult(restore) is not null) chosen.Add(restore.Name);
            string? problem = chosen.Count switch
            {
                0 => $"{failover.Name}: give one of {failover.Name}, {resume.Name}, {reset.Name}, {backup.Name} FILE, {restore.Name} FILE, " +
                    "or a command (status, host, map); see p2p-control --help",
                > 1 => $"{chosen[1]}: one action at a time (given: {string.Join(", ", chosen)})",
                _ => result.GetValue(dryRun) && chosen[0] != restore.Name ? $"{dryRun.Name}: only with {restore.Name}" : null,
            };
            if (problem is not null)
            {
                new Output(result.GetValue(options.Json)).Fail(new ControlException(ExitCodes.BadArguments, problem));
                return Task.FromResult(ExitCodes.BadArguments);
            }
            return ControlCommand.RunAsync(result, options, (r, api, output, ct) => chosen[0] switch
            {
                "--emergency-failover" => OperateCall.RunAsync(api, output, HttpMethod.Post, "network/emergency-failover", null,
                    m => OperateCall.Text(m, "hostKind") == "p2p", ct),
                "--resume-p2p" => OperateCall.RunAsync(api, output, HttpMethod.Post, "network/resume", null, null, ct),
                "--reset-network" => OperateCall.RunAsync(api, output, HttpMethod.Post, "network/reset", null,
                    m => OperateCall.Text(m, "hostId") is not null, ct),
                "--backup-state" => StateBackup.RunAsync(api, output, RequirePath(r.GetValue(backup), backup.Name), ct),
                _ => StateRestore.RunAsync(api, output, RequirePath(r.GetValue(restore), restore.Name), r.GetValue(dryRun), ct),
            }, cancellationToken);
        });
    }

    private static string RequirePath(string? path, string option) =>
        string.IsNullOrWhiteSpace(path) ? throw ControlException.BadArgument(option, "a file name is required") : path;
}
