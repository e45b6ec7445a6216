using System.CommandLine;
using System.CommandLine.Invocation;
using P2PCluster.Cli;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;

namespace P2PCluster.KeyGen;

/// <summary>
/// The <c>p2p-keygen</c> command line. Without an action it writes a new Ed25519 key file (<c>--out</c>); <c>--show</c>
/// names an existing one; <c>--rotate</c>, <c>--list</c>, <c>--retire</c> and <c>--revoke</c> act on the coordinator
/// key set in the store p2p.conf names (<c>--config</c>), as the silos read it. Failures map to <see cref="ExitCodes"/>.
/// </summary>
public static class KeyGenCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "Where to write the new private key (PKCS#8 PEM, mode 0600)", HelpName = "file", DefaultValueFactory = _ => "coordinator.pem" };
    private static readonly Option<bool> Force = new("--force") { Description = "Replace --out if it exists (the old key is gone for good)" };
    private static readonly Option<string?> Show = new("--show") { Description = "Print an existing private key file's public key, key id and fingerprint", HelpName = "file" };
    private static readonly Option<bool> Rotate = new("--rotate") { Description = "Announce a new next coordinator key; it signs after security.key_rollover_ms" };
    private static readonly Option<bool> List = new("--list") { Description = "Show the coordinator key set: next, active, retiring and revoked keys with their dates" };
    private static readonly Option<string?> Retire = new("--retire") { Description = "End a retiring key's grace now: nothing verifies with it any more", HelpName = "keyid" };
    private static readonly Option<string?> Revoke = new("--revoke") { Description = "End all trust in a key now (compromise); if it was active, the next key (or a new one) signs at once", HelpName = "keyid" };
    private static readonly Option<string?> Config = new("--config") { Description = $"p2p.conf naming the key set's store, as the silo reads it (default: {CoordinatorSettings.DefaultPath} if present)", HelpName = "file" };
    private static readonly Option<bool> Json = new("--json") { Description = "Machine-readable output: one JSON document on stdout" };

    public static RootCommand Create()
    {
        var root = new RootCommand("P2PCluster keys: write an Ed25519 key as openssl genpkey does, and roll the coordinator key over without downtime.")
        {
            Out, Force, Show, Rotate, List, Retire, Revoke, Config, Json,
        };
        ExitCodesHelp.Install(root, ExitCodes.Help);
        root.SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
        return root;
    }

    /// <summary>Parses and runs; a parse error is exit 2 with the option named (System.CommandLine's own would be 1).</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) KeyOutput.Fail(error.Message);
            Console.Error.WriteLine("Run 'p2p-keygen --help' for usage.");
            return ExitCodes.BadArguments;
        }
        return await parse.InvokeAsync();
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var output = new KeyOutput(result.GetValue(Json));
        try
        {
            string[] actions = [.. new (Option Option, bool Given)[]
            {
                (Show, result.GetValue(Show) is not null), (Rotate, result.GetValue(Rotate)), (List, result.GetValue(List)),
                (Retire, result.GetValue(Retire) is not null), (Revoke, result.GetValue(Revoke) is not null),
            }.Where(a => a.Given).Select(a => a.Option.Name)];
            if (actions.Length > 1) throw KeyGenException.BadArgument(actions[0], $"choose one of {string.Join(", ", actions)}");
            bool generating = actions.Length == 0;
            if (!generating && result.GetResult(Out) is { Implicit: false }) throw KeyGenException.BadArgument("--out", $"only when writing a new key, not with {actions[0]}");
            if (!generating && result.GetValue(Force)) throw KeyGenException.BadArgument("--force", $"only when writing a new key, not with {actions[0]}");
            bool onKeySet = actions.Length == 1 && actions[0] != Show.Name;
            if (!onKeySet && result.GetResult(Config) is { Implicit: false })
                throw KeyGenException.BadArgument("--config", "only with --rotate, --list, --retire or --revoke");

            if (generating) return KeyFileActions.Generate(result.GetValue(Out)!, result.GetValue(Force), output);
            if (result.GetValue(Show) is { } show) return KeyFileActions.Show(show, output);

            var settings = LoadSettings(result.GetValue(Config));
            var store = CoordinatorKeyStores.Create(settings);
            var actionsOnSet = new KeySetActions(store, settings.Security, output);
            if (result.GetValue(List)) return await actionsOnSet.ListAsync(cancellationToken);
            if (result.GetValue(Rotate)) return await actionsOnSet.RotateAsync(cancellationToken);
            if (result.GetValue(Retire) is { } retire) return await actionsOnSet.RetireAsync(KeyId(Retire, retire), cancellationToken);
            return await actionsOnSet.RevokeAsync(KeyId(Revoke, result.GetValue(Revoke)!), cancellationToken);
        }
        catch (KeyGenException e)
        {
            KeyOutput.Fail(e.Message);
            return e.ExitCode;
        }
        catch (KeySetException e)
        {
            KeyOutput.Fail(e.Message);
            return ExitCodes.Refused;
        }
        catch (Exception e) when (e is DatabaseException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            KeyOutput.Fail(e.Message);
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception e)
        {
            KeyOutput.Fail($"unexpected failure: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static CoordinatorSettings LoadSettings(string? path)
    {
        if (path is not null && !File.Exists(path)) throw KeyGenException.BadArgument("--config", $"'{path}' does not exist");
        try
        {
            return CoordinatorSettings.Load(path);
        }
        catch (ConfigurationException e)
        {
            throw new KeyGenException(ExitCodes.BadConfiguration, e.Message);
        }
    }

    private static string KeyId(Option option, string text)
    {
        string id = text.Trim().ToLowerInvariant();
        if (id.Length != 16 || !id.All(Uri.IsHexDigit))
            throw KeyGenException.BadArgument(option.Name, $"'{text}' is not a key id (16 hex digits, as p2p-keygen --list shows them)");
        return id;
    }
}
