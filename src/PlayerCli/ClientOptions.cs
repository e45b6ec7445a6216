using System.CommandLine;
using P2PCluster.Client;

namespace P2PCluster.PlayerCli;

/// <summary>
/// The options every subcommand shares (where the coordinator is, which key it must prove, whose account and which
/// character), added to each subcommand so that <c>p2p-client connect --help</c> lists them. A new subcommand
/// (warp, report) adds <see cref="All"/> and reads <see cref="Read"/>.
/// </summary>
public sealed class ClientOptions
{
    public const string DefaultCoordinator = "127.0.0.1:5121";
    public const string PasswordVariable = "P2P_CLIENT_PASSWORD";

    public Option<string> Coordinator { get; } = new("--coordinator")
    {
        Description = "The coordinator's gateway, host:port (IPv6 in brackets)",
        HelpName = "host:port",
        DefaultValueFactory = _ => DefaultCoordinator,
    };

    public Option<string> CoordinatorKey { get; } = new("--coordinator-key")
    {
        Description = "The coordinator's Ed25519 public key to pin: a PEM file, or the key inline as hex or base64 " +
            "(an embedded-default silo run from this folder writes the default)",
        HelpName = "pem|hex|base64",
        DefaultValueFactory = _ => CoordinatorPublicKey.DefaultPath,
    };

    public Option<string?> KeySetFile { get; } = new("--keyset-file")
    {
        Description = "Where the coordinator's announced key set is kept, so a rotated key is trusted without a new --coordinator-key " +
            "(default: p2p-client/coordinator_keyset-KEYID.bin under the user's local data folder; 'none' keeps it in memory only)",
        HelpName = "path|none",
    };

    public Option<string?> User { get; } = new("--user") { Description = "Account user id (rAthena login.userid)", HelpName = "userid" };

    public Option<string?> Password { get; } = new("--password")
    {
        Description = $"Account password (better: set {PasswordVariable}, which ps does not show; asked for when neither is given on a terminal). Never printed",
    };

    public Option<string?> Character { get; } = new("--char")
    {
        Description = "Character id or name (default: the account's first character)",
        HelpName = "id|name",
    };

    public Option<string?> Map { get; } = new("--map") { Description = "Map to resolve (default: the character's last map)", HelpName = "map" };

    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable output: one JSON object per line, with an \"event\" field" };

    /// <summary>The shared options; <paramref name="withCharacter"/> adds --char and --map (everything after login).</summary>
    public IEnumerable<Option> All(bool withCharacter) =>
        withCharacter ? [Coordinator, CoordinatorKey, KeySetFile, User, Password, Character, Map, Json]
            : [Coordinator, CoordinatorKey, KeySetFile, User, Password, Json];

    /// <summary>Checks and reads the values; throws <see cref="CliException"/> (exit 2) naming the first bad option.</summary>
    public ClientArguments Read(ParseResult result)
    {
        string coordinatorText = result.GetValue(Coordinator) ?? DefaultCoordinator;
        if (!CoordinatorEndpoint.TryParse(coordinatorText, out var coordinator))
            throw CliException.BadArgument("--coordinator", $"'{coordinatorText}' is not host:port (host an IP address, [IPv6] or DNS name; port 1-65535)");

        if (!CoordinatorPublicKey.TryLoad(result.GetValue(CoordinatorKey) ?? CoordinatorPublicKey.DefaultPath, out var key, out string origin, out string? keyError))
            throw CliException.BadArgument("--coordinator-key", keyError);
        string? keySetFile = ReadKeySetFile(result, key);

        string user = result.GetValue(User) ?? throw CliException.BadArgument("--user", "required: the account's user id");
        if (user.Length is < 1 or > Protocol.LoginPacket.MaxUserIdLength || !System.Text.Ascii.IsValid(user) || user.Any(char.IsControl))
            throw CliException.BadArgument("--user", $"must be 1-{Protocol.LoginPacket.MaxUserIdLength} ASCII characters");

        string? map = result.GetValue(Map);
        if (map is not null && !IsMapName(map))
            throw CliException.BadArgument("--map", NotAMapName(map));

        return new ClientArguments(coordinator, key, origin, keySetFile, user, ReadPassword(result), result.GetValue(Character), map, result.GetValue(Json));
    }

    private string? ReadKeySetFile(ParseResult result, byte[] pinned)
    {
        string? given = result.GetValue(KeySetFile);
        if (given is null) return CoordinatorTrust.DefaultClientFile(pinned);
        if (given == "none") return null;
        if (given.Length == 0 || Directory.Exists(given))
            throw CliException.BadArgument("--keyset-file", $"'{given}' is not a file path (give a file, or 'none')");
        return given;
    }

    private string ReadPassword(ParseResult result)
    {
        string? password = result.GetValue(Password) ?? Environment.GetEnvironmentVariable(PasswordVariable);
        if (password is null && !Console.IsInputRedirected) password = PasswordPrompt.Read("Password: ");
        if (password is null)
            throw CliException.BadArgument("--password", $"required: give --password or set {PasswordVariable}");
        int bytes = System.Text.Encoding.UTF8.GetByteCount(password);
        if (bytes is < 1 or > Protocol.LoginPacket.MaxPasswordBytes)
            throw CliException.BadArgument("--password", $"must be 1-{Protocol.LoginPacket.MaxPasswordBytes} bytes of UTF-8 (it is {bytes})");
        return password;
    }

    /// <summary>docs/protocol.md §4 RESOLVE: 1–11 characters of [A-Za-z0-9_@.-] (rAthena's varchar(11)).</summary>
    public static bool IsMapName(string map) =>
        Protocol.MapNames.IsValid(map);

    /// <summary>The problem with a value that is not <see cref="IsMapName"/>, for a message naming the option.</summary>
    public static string NotAMapName(string map) => $"'{map}' is not a map name (1-11 characters of A-Z a-z 0-9 _ @ . -)";
}
