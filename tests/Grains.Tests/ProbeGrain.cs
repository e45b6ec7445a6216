namespace P2PCluster.Grains.Tests;

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
    [Id(1)] public int Ticks { get; set; }
}

public sealed class ProbeGrain(
    [PersistentState("probe", Interfaces.StorageNames.State)] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task ClearAsync() => state.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartReminderAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopReminderAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    public Task<int> TicksAsync() => Task.FromResult(state.State.Ticks);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Persisted, so ticks counted on one activation survive a move to another silo.
        state.State.Ticks++;
        await state.WriteStateAsync();
    }
}
