namespace P2PCluster.Hosting;

/// <summary>How log lines are written: <c>logging.format</c> (the file) and <c>logging.console_format</c>.</summary>
public enum LogFormat
{
    /// <summary>One line per entry: time, level, category[event id], message (the framework's simple formatter).</summary>
    Text,

    /// <summary>One JSON object per line (the framework's JSON formatter), for log shippers.</summary>
    Json,
}
