using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// One running map: the built-in placeholder listener or a supervised external map-server. This is the seam the
/// player-session work plugs into: an instance decides whom it admits and counts its players.
/// </summary>
public interface IMapInstance
{
    string Map { get; }

    /// <summary>The TCP port players reach this instance on.</summary>
    int Port { get; }

    /// <summary>Starting until <see cref="StartAsync"/> returns, then Running; Starting again while a supervised process restarts; Stopped after <see cref="StopAsync"/>.</summary>
    MapRunState State { get; }

    /// <summary>Players admitted and still connected (0 where the instance cannot tell).</summary>
    int Players { get; }

    /// <summary>Raised (on any thread) when <see cref="State"/> changes after <see cref="StartAsync"/> has returned, e.g. a crash and its restart.</summary>
    event Action<IMapInstance>? StateChanged;

    /// <summary>Starts the instance; throws <see cref="MapStartException"/> if it cannot run at all.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the instance and everything it started; returns when it is gone.</summary>
    Task StopAsync();
}
