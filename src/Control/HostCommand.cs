using System.CommandLine;
using System.Net.Http;
using P2PCluster.Protocol;

namespace P2PCluster.Control;

/// <summary>
/// <c>p2p-control host approve|unapprove|ban|unban|drain|undrain HOSTID</c>: POST /hosts/{id}/{action}. Ban, drain and
/// a withdrawn approval move the host's maps: the command prints maps moved n/N while they go.
/// </summary>
public static class HostCommand
{
    private static readonly (string Action, string Description, bool Moves)[] Actions =
    [
        ("approve", "Approve the host's key (it may connect when distribution.require_approval)", false),
        ("unapprove", "Withdraw the host's approval (with require_approval its maps move and it is disconnected)", true),
        ("ban", "Ban the host: its connection closes, its maps move, reconnects are refused", true),
        ("unban", "Lift the host's ban", false),
        ("drain", "Drain the host: its players are saved, its maps move, it gets no new ones", true),
        ("undrain", "Let a drained host take maps again", false),
    ];

    public static Command Create(ControlOptions options)
    {
        var host = new Command("host", "Act on one host agent: approve, unapprove, ban, unban, drain, undrain.");
        foreach (var (action, description, moves) in Actions)
        {
            var id = new Argument<string>("hostId") { Description = "The host's id (h + 20 hex digits, as GET /hosts or the dashboard list it)" };
            var command = new Command(action, description) { id };
            ControlCommand.Define(command, options, (result, api, output, cancellationToken) =>
            {
                string hostId = RequireHostId(result.GetValue(id));
                return OperateCall.RunAsync(api, output, HttpMethod.Post, $"hosts/{hostId}/{action}", null,
                    moves ? m => OperateCall.Text(m, "hostId") == hostId : null, cancellationToken);
            });
            host.Add(command);
        }
        return host;
    }

    public static string RequireHostId(string? hostId) =>
        HostIds.IsValid(hostId) ? hostId!
            : throw ControlException.BadArgument("hostId", $"'{hostId}' is not a host id (1-{HostIds.MaxLength} characters of A-Z a-z 0-9 _ @ . -)");
}
