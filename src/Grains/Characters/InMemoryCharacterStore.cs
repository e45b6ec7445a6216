using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Characters;

/// <summary>
/// The embedded default's character store: rows start from the account store's characters (the development file) and
/// live in this process's memory with their versions, keys and audit rows. Same rules as the database store.
/// </summary>
public sealed class InMemoryCharacterStore(IAccountStore accounts, TimeProvider time) : ICharacterStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, StoredCharacter> _rows = [];
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly List<AuditRow> _audit = [];
    private readonly Queue<string> _keyOrder = new();
    private const int MaxAuditRows = 10_000, MaxKeys = 100_000; // a development store: the newest are kept

    /// <summary>One audit row, as the database store's <c>p2p_db_audit</c> holds it.</summary>
    public sealed record AuditRow(DateTimeOffset At, string HostId, int CharId, string Map, long Epoch, string Operation, bool Accepted, ClusterError Code, string Reason, long Version);

    public IReadOnlyList<AuditRow> Audit
    {
        get { lock (_lock) return [.. _audit]; }
    }

    public async Task<StoredCharacter?> LoadAsync(int charId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(charId, out var row)) return row;
        }
        if (await accounts.FindCharacterAsync(charId, cancellationToken) is not { } c) return null;
        var data = new CharacterSnapshot(c.LastX, c.LastY, Math.Max(1, c.BaseLevel), 1, 0, 0, 0, Hp: 40, Sp: 11,
            Str: 1, Agi: 1, Vit: 1, Int: 1, Dex: 1, Luk: 1, StatusPoint: 0, SkillPoint: 0, MaxHp: 40, MaxSp: 11);
        lock (_lock)
        {
            if (!_rows.TryGetValue(charId, out var row)) _rows[charId] = row = new StoredCharacter(charId, c.AccountId, c.LastMap, data, 0);
            return row;
        }
    }

    public async Task<WriteOutcome> WriteAsync(CharacterWrite write, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(write.CharId, cancellationToken)
            ?? throw new ClusterException(ClusterError.NotFound, $"char {write.CharId} does not exist");
        lock (_lock)
        {
            string key = Convert.ToHexString(write.Key);
            if (_keys.TryGetValue(key, out long applied)) return new WriteOutcome(WriteStatus.Duplicate, applied);
            stored = _rows[write.CharId];
            if (stored.Version != write.ExpectedVersion)
            {
                AddAudit(new AuditRow(time.GetUtcNow(), write.HostId, write.CharId, write.Map, write.Epoch, write.Operation, false,
                    ClusterError.VersionConflict, $"version is {stored.Version}, not {write.ExpectedVersion}", stored.Version));
                return new WriteOutcome(WriteStatus.Conflict, stored.Version);
            }
            long version = stored.Version + 1;
            _rows[write.CharId] = write.Data is { } data ? stored with { LastMap = write.Map, Data = data, Version = version } : stored with { Version = version };
            _keys[key] = version;
            _keyOrder.Enqueue(key);
            if (_keyOrder.Count > MaxKeys) _keys.Remove(_keyOrder.Dequeue());
            AddAudit(new AuditRow(time.GetUtcNow(), write.HostId, write.CharId, write.Map, write.Epoch, write.Operation, true, ClusterError.None, "ok", version));
            return new WriteOutcome(WriteStatus.Applied, version);
        }
    }

    public Task AuditRefusedAsync(RefusedWrite refused, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            AddAudit(new AuditRow(time.GetUtcNow(), refused.HostId, refused.CharId, refused.Map, refused.Epoch, refused.Operation, false,
                refused.Code, refused.Reason, 0));
        }
        return Task.CompletedTask;
    }

    private void AddAudit(AuditRow row)
    {
        _audit.Add(row);
        if (_audit.Count > MaxAuditRows) _audit.RemoveRange(0, _audit.Count - MaxAuditRows);
    }
}
