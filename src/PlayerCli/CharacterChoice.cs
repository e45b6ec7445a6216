using System.Globalization;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>Picks the character <c>--char</c> names among the account's (LOGIN_OK lists them by slot).</summary>
public static class CharacterChoice
{
    /// <summary>
    /// By char id, else by exact name, else by a name that matches ignoring case (if only one does); null
    /// <paramref name="selector"/> is the first character. Throws <see cref="CliException"/> (exit 2) naming --char.
    /// </summary>
    public static CharacterEntry Choose(IReadOnlyList<CharacterEntry> characters, string? selector, string user)
    {
        if (characters.Count == 0) throw CliException.BadArgument("--char", $"account '{user}' has no characters");
        if (selector is null) return characters[0];

        if (uint.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) && characters.Any(c => c.CharId == id))
            return characters.First(c => c.CharId == id);
        var exact = characters.Where(c => string.Equals(c.Name, selector, StringComparison.Ordinal)).ToList();
        if (exact.Count == 1) return exact[0];
        var loose = characters.Where(c => string.Equals(c.Name, selector, StringComparison.OrdinalIgnoreCase)).ToList();
        if (exact.Count == 0 && loose.Count == 1) return loose[0];

        string known = string.Join(", ", characters.Select(c => $"{c.Name} ({c.CharId})"));
        throw CliException.BadArgument("--char", exact.Count + loose.Count > 1
            ? $"'{selector}' names more than one character of account '{user}'; give the char id ({known})"
            : $"account '{user}' has no character '{selector}' (its characters: {known})");
    }
}
