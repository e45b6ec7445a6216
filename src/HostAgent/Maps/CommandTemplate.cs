using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// <c>maps.command</c>: an argument vector with placeholders. The text is split on whitespace; single or double quotes
/// group words (<c>/bin/sh -c 'exec run {map}'</c>) and are removed; there are no escapes and no shell, so a value
/// can never become more than the one argument it sits in. {map}, {port}, {epoch} and {max_players} are replaced in
/// each argument when an instance starts.
/// </summary>
public sealed partial class CommandTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["map", "port", "epoch", "max_players"];

    private CommandTemplate(IReadOnlyList<string> arguments) => Arguments = arguments;

    /// <summary>The split template, placeholders still in place; the first is the program.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The argument vector for one instance.</summary>
    public IReadOnlyList<string> Expand(string map, int port, ulong epoch, int maxPlayers) =>
        Arguments.Select(a => PlaceholderPattern().Replace(a, m => m.Groups[1].Value switch
        {
            "map" => map,
            "port" => port.ToString(CultureInfo.InvariantCulture),
            "epoch" => epoch.ToString(CultureInfo.InvariantCulture),
            "max_players" => maxPlayers.ToString(CultureInfo.InvariantCulture),
            _ => m.Value,
        })).ToArray();

    public static bool TryParse(string text, [NotNullWhen(true)] out CommandTemplate? template, [NotNullWhen(false)] out string? error)
    {
        template = null;
        error = null;
        var arguments = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in text ?? "")
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) arguments.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
        {
            error = $"unbalanced {quote} quote";
            return false;
        }
        if (inWord) arguments.Add(current.ToString());
        if (arguments.Count == 0 || arguments[0].Length == 0)
        {
            error = "names no program";
            return false;
        }
        foreach (Match m in arguments.SelectMany(a => PlaceholderPattern().Matches(a)))
        {
            if (!Placeholders.Contains(m.Groups[1].Value))
            {
                error = $"unknown placeholder {m.Value} (known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))})";
                return false;
            }
        }
        template = new CommandTemplate(arguments);
        return true;
    }

    [GeneratedRegex(@"\{([A-Za-z_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
