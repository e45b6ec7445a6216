namespace P2PCluster.LoadTool;

/// <summary>
/// What the windows of one kind cost outside this process, summed over its slices: the silo process's CPU, MariaDB's
/// (when it runs here), MariaDB's status counters, and the latencies recorded inside the windows. Hooked into
/// <see cref="LoadWindow.MeasureAsync"/> through <see cref="StartAsync"/> and <see cref="EndAsync"/>.
/// </summary>
public sealed class CostProbe(int nodePid, int? databasePid, string connectionString, Func<LatencyHistogram> latencies)
{
    private (ProcessCpu Node, ProcessCpu Database, DatabaseStatus Status, LatencyHistogram Latencies) _start;

    public TimeSpan Node { get; private set; }
    public TimeSpan? Database { get; private set; }
    public DatabaseStatus Status { get; private set; }
    public LatencyHistogram Latencies { get; } = new();

    public async Task StartAsync()
    {
        var status = await DatabaseStatus.ReadAsync(connectionString);
        _start = (ProcessCpu.Read(nodePid), databasePid is { } db ? ProcessCpu.Read(db) : default, status, latencies());
    }

    public async Task EndAsync()
    {
        var node = ProcessCpu.Read(nodePid);
        var database = databasePid is { } db ? ProcessCpu.Read(db) : default;
        var histogram = latencies();
        var status = await DatabaseStatus.ReadAsync(connectionString);
        Node += (node - _start.Node).Total;
        if (databasePid is not null) Database = (Database ?? TimeSpan.Zero) + (database - _start.Database).Total;
        Status += status - _start.Status;
        Latencies.Add(histogram);
        Latencies.Add(_start.Latencies, -1);
    }
}
