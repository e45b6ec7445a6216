using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A reminder table that fails the reminder writes (register, remove) of the grains <see cref="StorageFaults"/> names,
/// as MariaDB with its writes blocked does (reminders live there too), and otherwise is <paramref name="inner"/>.
/// </summary>
public sealed class FaultyReminderTable(IReminderTable inner, StorageFaults faults) : IReminderTable
{
    /// <summary>Puts this table in front of the reminder table <paramref name="services"/> registered last.</summary>
    public static void Decorate(IServiceCollection services, StorageFaults faults)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IReminderTable));
        services.Remove(registered);
        services.AddSingleton<IReminderTable>(provider => new FaultyReminderTable(Resolve(provider, registered), faults));
    }

    private static IReminderTable Resolve(IServiceProvider provider, ServiceDescriptor registered) =>
        (IReminderTable)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry) =>
        faults.FailsReminders(entry.GrainId) ? Refuse<string?>(entry.GrainId) : inner.UpsertRow(entry);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        faults.FailsReminders(grainId) ? Refuse<bool>(grainId) : inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();

    private static Task<T> Refuse<T>(GrainId grain) =>
        Task.FromException<T>(new ClusterException(ClusterError.StoreUnavailable, $"injected: the reminders of {grain} cannot be written"));
}
