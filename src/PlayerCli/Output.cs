using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PCluster.Client;

namespace P2PCluster.PlayerCli;

/// <summary>
/// What the command tells its user: one line per event on stdout, for people or (<c>--json</c>) one JSON object per
/// line with an <c>event</c> field. Failures go to stderr for people; with <c>--json</c> also to stdout as an
/// <c>error</c> event, so a script reads one stream.
/// </summary>
public sealed class Output(bool json)
{
    // Names are UTF-8 and tickets base64: written as they are ("+", not "\u002B"); the output is not embedded in HTML.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json => json;

    /// <summary>Writes <paramref name="record"/> (with <c>event</c> = <paramref name="name"/>) as JSON, or <paramref name="human"/>.</summary>
    public void Event(string name, JsonObject record, string human)
    {
        if (json)
        {
            record.Insert(0, "event", name);
            Console.Out.WriteLine(record.ToJsonString(Relaxed));
        }
        else Console.Out.WriteLine(human);
        Console.Out.Flush();
    }

    public void Fail(CliException failure)
    {
        Console.Error.WriteLine($"p2p-client: {failure.Message}");
        if (!json) return;
        var record = new JsonObject { ["event"] = "error", ["exit_code"] = failure.ExitCode, ["message"] = failure.Message };
        if (failure.Code is { } code)
        {
            record["code"] = (int)code;
            record["name"] = ErrorNames.Name(code);
        }
        Console.Out.WriteLine(record.ToJsonString(Relaxed));
        Console.Out.Flush();
    }
}
