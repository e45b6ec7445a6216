using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// What one batch writes, decided in queue order against the versions and keys read under lock: each write is a
/// duplicate (nothing written), a conflict or unknown character (refused, audited) or applied (new version, key,
/// audit row, and its values folded into the character's one row of the batch's UPDATE).
/// </summary>
internal sealed class BatchPlan
{
    /// <summary>A character's row after every applied write of the batch, in order: the last save's map and values, the last online flag given.</summary>
    public sealed record RowChange(string? LastMap, CharacterSnapshot? Data, bool? Online);

    public sealed record AuditRow(string HostId, int CharId, string Map, long Epoch, string Operation, byte[]? Key, ClusterError Code, string Reason, long? Version)
    {
        public bool Accepted => Code == ClusterError.None;
    }

    public sealed record KeyRow(byte[] Key, int CharId, long Version);

    public readonly record struct AppliedKey(int CharId, long Version);

    private BatchPlan(int count) => Answers = new BatchAnswer[count];

    /// <summary>One answer per queued item, in the batch's order; given to callers only after commit.</summary>
    public BatchAnswer[] Answers { get; }

    public List<AuditRow> Audits { get; } = [];

    public List<KeyRow> Keys { get; } = [];

    /// <summary>The new version of each character an applied write touched.</summary>
    public SortedDictionary<int, long> Versions { get; } = [];

    public SortedDictionary<int, RowChange> Rows { get; } = [];

    /// <param name="stored">Each existing character's version, locked (a character missing here does not exist).</param>
    /// <param name="applied">The character and version each already-applied key of the batch produced.</param>
    public static BatchPlan Decide(IReadOnlyList<PendingWrite> batch, IReadOnlyDictionary<int, long> stored, IReadOnlyDictionary<Guid, AppliedKey> applied)
    {
        var plan = new BatchPlan(batch.Count);
        var versions = new Dictionary<int, long>(stored);
        var keys = new Dictionary<Guid, AppliedKey>(applied);
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch[i].Write is not { } w)
            {
                var r = batch[i].Refused!;
                plan.Audits.Add(new AuditRow(r.HostId, r.CharId, r.Map, r.Epoch, r.Operation, r.Key, r.Code, r.Reason, null));
                continue;
            }
            var key = new Guid(w.Key);
            if (keys.TryGetValue(key, out var produced))
            {
                if (produced.CharId == w.CharId)
                {
                    plan.Answers[i] = new(new WriteOutcome(WriteStatus.Duplicate, produced.Version), null);
                    continue;
                }
                // Keys are random per write: one seen with another character is a broken or hostile host, never a retry.
                string misuse = $"idempotency key already used for character {produced.CharId}";
                plan.Audits.Add(Audit(w, ClusterError.InvalidArgument, misuse, null));
                plan.Answers[i] = new(default, new ClusterException(ClusterError.InvalidArgument, misuse));
                continue;
            }
            if (!versions.TryGetValue(w.CharId, out long current))
            {
                string reason = $"no character {w.CharId}";
                plan.Audits.Add(Audit(w, ClusterError.NotFound, reason, null));
                plan.Answers[i] = new(default, new ClusterException(ClusterError.NotFound, reason));
                continue;
            }
            if (w.ExpectedVersion != current)
            {
                plan.Audits.Add(Audit(w, ClusterError.VersionConflict, $"expected version {w.ExpectedVersion}, stored {current}", current));
                plan.Answers[i] = new(new WriteOutcome(WriteStatus.Conflict, current), null);
                continue;
            }
            long next = current + 1;
            versions[w.CharId] = next;
            keys[key] = new AppliedKey(w.CharId, next);
            plan.Versions[w.CharId] = next;
            var before = plan.Rows.GetValueOrDefault(w.CharId);
            plan.Rows[w.CharId] = w.Data is { } data
                ? new RowChange(w.Map, data, w.Online ?? before?.Online)
                : new RowChange(before?.LastMap, before?.Data, w.Online ?? before?.Online);
            plan.Keys.Add(new KeyRow(w.Key, w.CharId, next));
            plan.Audits.Add(Audit(w, ClusterError.None, "", next));
            plan.Answers[i] = new(new WriteOutcome(WriteStatus.Applied, next), null);
        }
        return plan;
    }

    private static AuditRow Audit(CharacterWrite w, ClusterError code, string reason, long? version) =>
        new(w.HostId, w.CharId, w.Map, w.Epoch, w.Operation, w.Key, code, reason, version);
}
