using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Silo.Characters;
using P2PCluster.TestSupport;
using static P2PCluster.Gateway.Tests.RathenaCharacterStoreTests;

namespace P2PCluster.Gateway.Tests;

/// <summary>The character store's writer queue when the database is not there: failures are the cluster's, cancellation works while queued.</summary>
public sealed class RathenaCharacterStoreQueueTests
{
    private static readonly Grains.Interfaces.CharacterSnapshot Data = RathenaCharacterStoreTests.Row(156, 191, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 40, 40, 11, 11);

    [Fact]
    public async Task AnUnreachableDatabaseIsStoreUnavailableWithoutSecrets()
    {
        await using var store = new RathenaCharacterStore(ConnectionString(FreePort.Next(), timeout: 2));

        foreach (var call in new Func<Task>[]
        {
            () => store.LoadAsync(150000),
            () => store.WriteAsync(Save(150000, 0, Data, Key())),
            () => store.AuditRefusedAsync(new Grains.Characters.RefusedWrite(150000, "host-1", "prontera", 1, null, "save", ClusterError.NotOnMap, "no")),
        })
        {
            var e = await Assert.ThrowsAsync<ClusterException>(call);
            Assert.Equal(ClusterError.StoreUnavailable, e.Code);
            Assert.DoesNotContain("hunter2", e.Message);
        }
    }

    [Fact]
    public async Task AQueuedWriteIsCancelledWhileTheBatchAheadOfItWaits()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var store = new RathenaCharacterStore(ConnectionString(((IPEndPoint)silent.LocalEndpoint).Port, timeout: 20));
        var ahead = store.WriteAsync(Save(150000, 0, Data, Key()));
        // The writer has taken the first write into a batch and waits for the server's greeting, which never comes.
        using var accepted = await silent.AcceptSocketAsync();
        using var cancel = new CancellationTokenSource();

        // A character of the same writer loop (characters are spread over the loops by id): another loop would take it
        // into a batch of its own at once, and the cancellation would lose the race to that batch's connect timeout.
        var queued = store.WriteAsync(Save(150000 + RathenaCharacterStore.Writers, 0, Data, Key()), cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.False(ahead.IsCompleted);
        silent.Stop();
        accepted.Close();
        Assert.Equal(ClusterError.StoreUnavailable, (await Assert.ThrowsAsync<ClusterException>(() => ahead)).Code);
    }

    private static string ConnectionString(int port, uint timeout) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1", Port = (uint)port, Database = "ragnarok", UserID = "p2p", Password = "hunter2", ConnectionTimeout = timeout,
    }.ConnectionString;
}
