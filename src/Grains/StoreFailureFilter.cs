using Microsoft.Extensions.Logging;

namespace P2PCluster.Grains;

/// <summary>
/// Every grain call on this silo: a database failure that escapes the grain (its state storage, its reminders, a store)
/// leaves as <see cref="P2PCluster.Grains.Interfaces.ClusterError.StoreUnavailable"/>, which callers can serialize and
/// act on, never as the provider's exception (<see cref="StoreFailures"/>).
/// </summary>
public sealed partial class StoreFailureFilter(ILogger<StoreFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (StoreFailures.AsStoreUnavailable(e) is { } unavailable)
        {
            LogStoreFailed(logger, context.TargetId.ToString(), context.MethodName, unavailable.Message);
            throw unavailable;
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "{Grain}.{Method} failed on the database ({Reason}); answered StoreUnavailable")]
    private static partial void LogStoreFailed(ILogger logger, string grain, string method, string reason);
}
