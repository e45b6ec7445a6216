using System.Security.Cryptography;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Where a character is, kept whole: a session's saved snapshot and the map its cell is on change together, in the
/// session and in rAthena's row (<c>last_map</c>, <c>last_x</c>, <c>last_y</c>), never one without the other.
/// </summary>
public static class SessionPlaces
{
    /// <summary>
    /// Where an offline character enters, with what: the session's own place while rAthena's row has not been told it
    /// yet (<paramref name="row"/> null because <see cref="PlayerSessionState.RowPending"/>); otherwise the row's place,
    /// which then agrees with the session (or was changed since, e.g. by an operator), with the progress the session
    /// carries. Map and cell always come from the same source.
    /// </summary>
    public static (CharacterSnapshot Character, string Map) Offline(PlayerSessionState s, StoredCharacter? row, CharacterSummary summary)
    {
        if (s.RowPending && s.Character is { } own && s.CharacterMap is { } ownMap) return (own, ownMap);
        var (map, x, y) = row is null ? (summary.LastMap, summary.LastX, summary.LastY) : (row.LastMap, row.Data.X, row.Data.Y);
        // A first login starts from the row: entering with less would have the host save those zeros over it.
        var character = s.Character is { } saved ? saved with { X = x, Y = y }
            : row is not null ? row.Data
            : new CharacterSnapshot(x, y, Math.Max(1, summary.BaseLevel), 1, 0, 0, 0, 0, 0);
        return (character, map);
    }

    /// <summary>A move that did not happen: the character is where it stood on the map it was leaving.</summary>
    public static void ReturnToDeparture(PlayerSessionState s)
    {
        if (s.Departure is { } d && s.Character is { } c) (s.Character, s.CharacterMap) = (c with { X = d.X, Y = d.Y }, d.Map);
        s.Departure = null;
    }

    /// <summary>Offline; rAthena's row is to be told (online 0, and the place) if the character was on a map.</summary>
    public static void GoOffline(PlayerSessionState s)
    {
        if (s.Map is not null && !s.RowPending) (s.RowPending, s.RowKey) = (true, RandomNumberGenerator.GetBytes(16));
        s.State = SessionState.Offline;
        (s.Map, s.HostId, s.Epoch) = (null, null, 0);
    }

    /// <summary>
    /// The offline write for rAthena's row: <c>online</c> = 0, and the session's place if the row names another map
    /// (null data: the flag only). A row on the session's map holds the cell its host last saved there, newer than the
    /// session's, so <paramref name="adopt"/> is that cell, for the session to take.
    /// </summary>
    public static CharacterWrite OfflineWrite(int charId, PlayerSessionState s, StoredCharacter row, out CharacterPlace? adopt)
    {
        var place = s.Character is { } c && s.CharacterMap is { } map ? new CharacterPlace(map, c.X, c.Y) : null;
        var data = place is not null && place.Map != row.LastMap ? row.Data with { X = place.X, Y = place.Y } : null;
        adopt = place is not null && data is null ? place with { X = row.Data.X, Y = row.Data.Y } : place;
        return new CharacterWrite(charId, RowWriter, place?.Map ?? row.LastMap, 0, s.RowKey ?? RandomNumberGenerator.GetBytes(16),
            row.Version, data, Online: false, "offline");
    }

    /// <summary>The writer named in the audit row of that write: the coordinator itself, not a host.</summary>
    public const string RowWriter = "coordinator";
}
