using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary>
/// What the command tells its user: lines on stdout for people or (<c>--json</c>) one JSON object per line with an
/// <c>event</c> field. Progress goes to stderr for people, so stdout holds the outcome alone. Failures go to stderr; with
/// <c>--json</c> also to stdout as an <c>error</c> event, so a script reads one stream.
/// </summary>
public sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json => json;

    /// <summary>Writes <paramref name="record"/> (with <c>event</c> = <paramref name="name"/>) as JSON, or <paramref name="human"/>.</summary>
    public void Event(string name, JsonObject record, string human)
    {
        if (json) WriteJson(name, record);
        else Console.Out.WriteLine(human);
        Console.Out.Flush();
    }

    /// <summary>Progress of a long action: a <c>progress</c> event, or a line on stderr.</summary>
    public void Progress(int done, int total, string what)
    {
        if (json) WriteJson("progress", new JsonObject { ["done"] = done, ["total"] = total, ["what"] = what });
        else Console.Error.WriteLine($"{what} {done}/{total}");
    }

    public void Fail(ControlException failure)
    {
        Console.Error.WriteLine($"p2p-control: {failure.Message}");
        if (!json) return;
        var record = new JsonObject { ["exit_code"] = failure.ExitCode, ["message"] = failure.Message };
        if (failure.Problem is { } problem)
        {
            record["status"] = problem.Status;
            record["title"] = problem.Title;
            record["detail"] = problem.Detail;
            record["field"] = problem.Field;
            record["code"] = problem.Code;
        }
        WriteJson("error", record);
    }

    private static void WriteJson(string name, JsonObject record)
    {
        record.Insert(0, "event", name);
        Console.Out.WriteLine(record.ToJsonString(Relaxed));
        Console.Out.Flush();
    }
}
