using Orleans.Runtime;

namespace P2PCluster.Silo;

/// <summary>
/// Replaces Orleans' fatal-error handler, which aborts the process (SIGABRT, exit 134, a core dump) when the cluster
/// has declared this silo dead — normal for Orleans: a silo the others could not reach (frozen, partitioned) has
/// already had its grains taken over, so it must not carry on. Here it exits with its own documented code instead,
/// <see cref="ExitCodes.DeclaredDead"/> (any other fatal Orleans error: <see cref="ExitCodes.Fatal"/>), after saying
/// so, and a supervisor (systemd <c>Restart=always</c>) starts it again as a new silo.
/// </summary>
public sealed partial class SiloFatalErrorHandler(IServiceProvider services, ILogger<SiloFatalErrorHandler> logger) : IFatalErrorHandler
{
    /// <summary>How long the log gets to reach its sinks (they write on a background thread) before the process exits.</summary>
    private static readonly TimeSpan LogFlush = TimeSpan.FromMilliseconds(500);

    private int _exiting;

    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _exiting, 1) != 0) return;
        bool dead = IsDeclaredDead(context);
        int code = dead ? ExitCodes.DeclaredDead : ExitCodes.Fatal;
        if (dead) LogDeclaredDead(logger, code, context);
        else LogFatal(logger, exception, sender?.GetType().Name, context, code);
        Console.Error.WriteLine(dead
            ? $"p2p-silo: the cluster declared this silo dead; exiting with {code} (a supervisor must restart it)"
            : $"p2p-silo: fatal error in {sender?.GetType().Name}: {context}; exiting with {code}");
        Thread.Sleep(LogFlush);
        // Not a graceful stop: the other silos have already taken this one's grains over, so it must not write their
        // state or answer for them any more; nothing it holds is lost (state is in the database, hosts reconnect).
        Environment.Exit(code);
    }

    /// <summary>The membership's own verdict on this silo, or Orleans' wording when the verdict cannot be read.</summary>
    private bool IsDeclaredDead(string? context)
    {
        try
        {
            if (services.GetService<ISiloStatusOracle>()?.CurrentStatus == SiloStatus.Dead) return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
        }
        return context?.Contains("I have been told I am dead", StringComparison.Ordinal) == true;
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Critical,
        Message = "The cluster declared this silo dead (other silos could not reach it in time; its grains now live on them). Exiting with {Code}: a supervisor must restart it. Orleans said: {Context}")]
    private static partial void LogDeclaredDead(ILogger logger, int code, string? context);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Critical, Message = "Fatal Orleans error from {Sender}: {Context}. Exiting with {Code}: a supervisor must restart it")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string? sender, string? context, int code);
}
