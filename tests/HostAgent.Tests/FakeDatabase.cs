using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// Stands in for the database proxy: keeps each character's record and version as the proxy's store would (a save
/// must name the current version; a save or an online flag makes the next one), records every call in order, and
/// lets a test hold a call (<see cref="Gate"/>) or refuse it (<see cref="Refuse"/>).
/// </summary>
public sealed class FakeDatabase : ICharacterDatabase
{
    public const ProtocolError VersionConflict = ProtocolError.ClusterBase + 19;

    /// <summary>One call as the proxy saw it: "load", "save", "online" or "offline".</summary>
    public sealed record Call(string Operation, uint CharId, string Map, ulong Epoch, ulong ExpectedVersion = 0, CharacterRecord Record = default);

    private readonly Lock _lock = new();
    private readonly List<Call> _calls = [];
    private readonly Dictionary<uint, (CharacterRecord Record, ulong Version)> _rows = [];

    /// <summary>What a character the fake has not seen yet loads as (stats and max hp/sp a save must keep).</summary>
    public static CharacterRecord Initial { get; } = new(150, 100, 10, 5, 1000, 300, 500, 9, 8, 7, 6, 5, 4, 2, 1, 80, 120, 20, 30);

    /// <summary>Awaited before a call is answered (and after it is recorded); by default nothing holds it.</summary>
    public Func<Call, Task> Gate { get; set; } = _ => Task.CompletedTask;

    /// <summary>A code to refuse a call with (as the proxy would, nothing written), or null to answer it.</summary>
    public Func<Call, ProtocolError?> Refuse { get; set; } = _ => null;

    /// <summary>Every call so far, in the order they came.</summary>
    public IReadOnlyList<Call> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    /// <summary>The character's stored record and version.</summary>
    public (CharacterRecord Record, ulong Version) Row(uint charId)
    {
        lock (_lock) return RowOf(charId);
    }

    /// <summary>Moves the stored version on, as another writer would.</summary>
    public void Bump(uint charId)
    {
        lock (_lock) _rows[charId] = RowOf(charId) with { Version = RowOf(charId).Version + 1 };
    }

    private (CharacterRecord Record, ulong Version) RowOf(uint charId) => _rows.GetValueOrDefault(charId, (Initial, 0UL));

    public async Task<(CharacterRecord Record, ulong Version)> LoadAsync(uint charId, string map, ulong epoch, CancellationToken cancellationToken = default)
    {
        await ReceiveAsync(new Call("load", charId, map, epoch));
        return Row(charId);
    }

    public async Task<ulong> SaveAsync(uint charId, string map, ulong epoch, ulong expectedVersion, CharacterRecord record, CancellationToken cancellationToken = default)
    {
        await ReceiveAsync(new Call("save", charId, map, epoch, expectedVersion, record));
        lock (_lock)
        {
            var row = RowOf(charId);
            if (row.Version != expectedVersion) throw new RequestRefusedException(VersionConflict, $"version is {row.Version}, not {expectedVersion}");
            _rows[charId] = (record, row.Version + 1);
            return row.Version + 1;
        }
    }

    public async Task<ulong> SetOnlineAsync(uint charId, string map, ulong epoch, bool online, CancellationToken cancellationToken = default)
    {
        await ReceiveAsync(new Call(online ? "online" : "offline", charId, map, epoch));
        lock (_lock)
        {
            var row = RowOf(charId);
            _rows[charId] = row with { Version = row.Version + 1 };
            return row.Version + 1;
        }
    }

    private async Task ReceiveAsync(Call call)
    {
        lock (_lock) _calls.Add(call);
        await Gate(call);
        if (Refuse(call) is { } code) throw new RequestRefusedException(code, $"the fake proxy refuses {call.Operation}");
    }
}
