using System.Net;
using Microsoft.Extensions.Logging;

namespace P2PCluster.HostAgent.Maps;

/// <summary>Makes the instance <c>maps.command</c> asks for: the built-in listener when empty, else the supervised command.</summary>
public sealed class MapInstanceFactory(MapsOptions options, ILoggerFactory loggers)
{
    /// <summary>A built-in instance closes a connection that sends nothing for this long.</summary>
    public static readonly TimeSpan BuiltInIdleTimeout = TimeSpan.FromSeconds(30);

    private readonly CommandTemplate? _command = options.ParsedCommand;
    private readonly IPAddress _bindAddress = IPAddress.Parse(options.BindAddress);

    /// <summary>An instance, not yet started. <paramref name="epoch"/> is read at each (re)start, so a replaced epoch reaches the next run.</summary>
    public IMapInstance Create(string map, int port, int maxPlayers, Func<ulong> epoch) =>
        _command is { } command
            ? new ExternalMapInstance(map, port, () => command.Expand(map, port, epoch(), maxPlayers),
                TimeSpan.FromMilliseconds(options.RestartBackoffMs), loggers.CreateLogger<ExternalMapInstance>())
            : new BuiltInMapInstance(map, _bindAddress, port, maxPlayers, BuiltInIdleTimeout, loggers.CreateLogger<BuiltInMapInstance>());
}
