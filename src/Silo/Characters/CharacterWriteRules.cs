using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// What a write must satisfy before it is queued: well-formed ids and key, and values the <c>char</c> columns can hold.
/// A value the database would refuse must never reach a batch, where it would fail every other write with it.
/// Game rules (stat caps, plausible deltas) are the proxy's to check before it writes.
/// </summary>
internal static class CharacterWriteRules
{
    public const int KeyLength = 16;

    // Column sizes of p2p_db_audit (sql/p2p_schema.sql).
    private const int AuditHostId = 64, AuditMap = 16, AuditOperation = 32, AuditReason = 255;

    // rAthena's column types (sql-files/main.sql): smallint unsigned, mediumint unsigned.
    private const int SmallIntMax = ushort.MaxValue, MediumIntMax = 16_777_215;

    public static void Require(CharacterWrite w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.CharId <= 0) throw Invalid($"character id {w.CharId} is not positive");
        Names.RequireHostId(w.HostId);
        Names.RequireMapName(w.Map);
        if (w.Key is not { Length: KeyLength }) throw Invalid($"idempotency key must be {KeyLength} bytes");
        if (string.IsNullOrEmpty(w.Operation) || w.Operation.Length > AuditOperation) throw Invalid($"operation must be 1–{AuditOperation} characters");
        if (w.ExpectedVersion < 0) throw Invalid($"expected version {w.ExpectedVersion} is negative");
        if (w.Data is null && w.Online is null) throw Invalid("a write changes the row, the online flag, or both");
        if (w.Data is { } d) RequireColumns(w.Map, d);
    }

    /// <summary>A refused write is audited whatever it holds: its texts are cut to the audit columns.</summary>
    public static RefusedWrite Fit(RefusedWrite r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.CharId <= 0) throw Invalid($"character id {r.CharId} is not positive");
        if (r.Key is not (null or { Length: KeyLength })) throw Invalid($"idempotency key must be {KeyLength} bytes or none");
        return r with
        {
            HostId = Cut(r.HostId, AuditHostId),
            Map = Cut(r.Map, AuditMap),
            Operation = Cut(r.Operation, AuditOperation),
            Reason = Cut(r.Reason, AuditReason),
        };
    }

    private static void RequireColumns(string lastMap, CharacterSnapshot d)
    {
        if (!Names.IsValidMapName(lastMap)) throw OutOfBounds($"last_map '{lastMap}' is not a map name");
        Within("last_x", d.X, SmallIntMax);
        Within("last_y", d.Y, SmallIntMax);
        Within("base_level", d.BaseLevel, SmallIntMax);
        Within("job_level", d.JobLevel, SmallIntMax);
        Within("str", d.Str, SmallIntMax);
        Within("agi", d.Agi, SmallIntMax);
        Within("vit", d.Vit, SmallIntMax);
        Within("int", d.Int, SmallIntMax);
        Within("dex", d.Dex, SmallIntMax);
        Within("luk", d.Luk, SmallIntMax);
        Within("hp", d.Hp, MediumIntMax);
        Within("max_hp", d.MaxHp, MediumIntMax);
        Within("sp", d.Sp, MediumIntMax);
        Within("max_sp", d.MaxSp, MediumIntMax);
    }

    private static void Within(string column, long value, long max)
    {
        if (value < 0 || value > max) throw OutOfBounds($"{column} {value} is outside 0–{max}");
    }

    private static string Cut(string? text, int length)
    {
        text ??= "";
        if (text.Length <= length) return text;
        int end = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        return text[..end];
    }

    private static ClusterException Invalid(string message) => new(ClusterError.InvalidArgument, message);

    private static ClusterException OutOfBounds(string message) => new(ClusterError.OutOfBounds, message);
}
