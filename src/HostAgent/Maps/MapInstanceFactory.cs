using System.Net;
using Microsoft.Extensions.Logging;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Makes the instance <c>maps.command</c> asks for: the built-in listener when empty (which admits players through
/// <paramref name="admission"/>), else the supervised command.
/// </summary>
public sealed class MapInstanceFactory(MapsOptions options, PlayerAdmission admission, ILoggerFactory loggers)
{
    /// <summary>A built-in instance closes a player's connection that sends nothing for this long.</summary>
    public static readonly TimeSpan BuiltInIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The agent's lease, which built-in instances check themselves (null: none, tests).</summary>
    public ILeaseCheck? Lease => admission.Lease;

    private readonly CommandTemplate? _command = options.ParsedCommand;
    private readonly IPAddress _bindAddress = IPAddress.Parse(options.BindAddress);

    /// <summary>
    /// An instance, not yet started. <paramref name="epoch"/> gives the epoch the map runs under now: a command reads it
    /// at each (re)start, the built-in instance at each ticket it checks, so a replaced epoch reaches both.
    /// </summary>
    public IMapInstance Create(string map, int port, int maxPlayers, Func<ulong> epoch) =>
        _command is { } command
            ? new ExternalMapInstance(map, port, () => command.Expand(map, port, epoch(), maxPlayers),
                TimeSpan.FromMilliseconds(options.RestartBackoffMs), loggers.CreateLogger<ExternalMapInstance>())
            : new BuiltInMapInstance(map, _bindAddress, port, maxPlayers, epoch, admission, BuiltInIdleTimeout, loggers.CreateLogger<BuiltInMapInstance>());
}
