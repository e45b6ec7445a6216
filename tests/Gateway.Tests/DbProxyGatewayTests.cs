using System.Security.Cryptography;
using P2PCluster.Client;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// The database proxy port with the embedded default's in-memory character store: who may connect, and each refusal
/// with its own code and an audit row. The store on MariaDB has its own tests (RathenaCharacterStoreTests).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DbProxyGatewayTests(GatewayFixture fixture) : IAsyncLifetime
{
    private static int _nextAccount = 4_500_000, _nextChar = 750_000;
    private static long _instanceReport;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Map = "gproxy1"; // 300×200 cells in the fixture's maps:

    private readonly SigningIdentity _identity = SigningIdentity.Generate();
    private string HostId => HandshakeCrypto.HostId(_identity.PublicKey);
    private CoordinatorConnection _host = null!;
    private CoordinatorConnection _proxy = null!;
    private uint _nextRequest;

    public async Task InitializeAsync()
    {
        _host = await fixture.ConnectAsync(_identity);
        _proxy = await CoordinatorConnection.ConnectAsync(fixture.DbProxyEndpoint, fixture.ClientOptions(_identity));
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _host.DisposeAsync();
        _identity.Dispose();
    }

    /// <summary>A player whose character this test's host has admitted onto <see cref="Map"/> (ticket resolved and claimed).</summary>
    private async Task<(uint Char, long Epoch)> PlayerOnMapAsync()
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        fixture.Accounts.Add(new AccountRecord(account, $"dbuser{account}", "pw-ok", 'M', 0));
        fixture.Accounts.Add(new CharacterSummary(character, account, 0, $"Db{character}", 0, 10, Map, 150, 100));
        var map = fixture.Grains.GetGrain<IMapGrain>(Map);
        var info = await map.GetAsync();
        // The map is configured, so the cluster may already have placed it on this host (which never reports it running).
        if (info.Assignment?.HostId != HostId) await fixture.Grains.PlaceOnAsync(Map, HostId, HostKind.P2P, "127.0.0.1:6121");
        info = await map.GetAsync();
        await map.InstanceStateAsync(HostId, info.Epoch, MapInstanceState.Running, 6150, Interlocked.Increment(ref _instanceReport));
        var session = fixture.Grains.GetGrain<IPlayerSessionGrain>(character);
        var grant = await session.RequestTicketAsync(account, Map);
        await session.ClaimTicketAsync(HostId, Map, grant.Epoch, grant.Nonce);
        return ((uint)character, info.Epoch);
    }

    private static byte[] NewKey() => RandomNumberGenerator.GetBytes(16);

    private static CharacterRecord Record(ushort x = 150, ushort y = 100, ushort baseLevel = 10, uint zeny = 500, ulong baseExp = 1000) =>
        new(x, y, baseLevel, 5, baseExp, 300, zeny, 5, 5, 5, 5, 5, 5, 2, 1, 100, 120, 20, 30);

    private async Task<DbCharPacket> LoadAsync(uint charId, long epoch)
    {
        uint request = ++_nextRequest;
        await _proxy.SendAsync(new DbLoadCharPacket(request, charId, Map, (ulong)epoch));
        return await NextAsync<DbCharPacket>(_proxy, p => p.RequestId == request);
    }

    private async Task<DbResultPacket> SaveAsync(uint charId, long epoch, ulong expected, CharacterRecord record, byte[]? key = null, string map = Map)
    {
        uint request = ++_nextRequest;
        await _proxy.SendAsync(new DbSaveCharPacket(request, charId, map, (ulong)epoch, expected, key ?? NewKey(), record));
        return await NextAsync<DbResultPacket>(_proxy, p => p.RequestId == request);
    }

    private async Task<DbResultPacket> SetOnlineAsync(uint charId, long epoch, bool online)
    {
        uint request = ++_nextRequest;
        await _proxy.SendAsync(new DbSetOnlinePacket(request, charId, Map, (ulong)epoch, online, NewKey()));
        return await NextAsync<DbResultPacket>(_proxy, p => p.RequestId == request);
    }

    private static async Task<T> NextAsync<T>(CoordinatorConnection connection, Func<T, bool> match) where T : IPacket<T>
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var packet = await connection.Incoming.ReadAsync(timeout.Token);
            if (packet.TryRead(out T value) && match(value)) return value;
        }
    }

    private static ProtocolError Code(ClusterError error) => ProtocolError.ClusterBase + (ushort)error;

    private List<GrainsCharacterAudit> AuditOf(uint charId) =>
        [.. fixture.Characters.Audit.Where(a => a.CharId == (int)charId).Select(a => new GrainsCharacterAudit(a.Operation, a.Accepted, a.Code))];

    private sealed record GrainsCharacterAudit(string Operation, bool Accepted, ClusterError Code);

    [Fact]
    public async Task ASaveIsAppliedOnceAndAuditedAndALoadReturnsIt()
    {
        var (character, epoch) = await PlayerOnMapAsync();
        var loaded = await LoadAsync(character, epoch);
        Assert.Equal((ProtocolError.None, 0ul), (loaded.Code, loaded.Version));
        Assert.Equal((150, 100, 10), (loaded.Record.X, loaded.Record.Y, loaded.Record.BaseLevel));

        var key = NewKey();
        var saved = await SaveAsync(character, epoch, 0, Record(x: 160, zeny: 900), key);
        Assert.Equal((ProtocolError.None, 1ul), (saved.Code, saved.Version));
        var retried = await SaveAsync(character, epoch, 0, Record(x: 160, zeny: 900), key);
        Assert.Equal((ProtocolError.None, 1ul), (retried.Code, retried.Version)); // the same answer, applied once

        var after = await LoadAsync(character, epoch);
        Assert.Equal((1ul, (ushort)160, 900u), (after.Version, after.Record.X, after.Record.Zeny));
        Assert.Equal([new("save", true, ClusterError.None)], AuditOf(character));
    }

    [Fact]
    public async Task EachRefusalHasItsOwnCodeAndAnAuditRow()
    {
        var (character, epoch) = await PlayerOnMapAsync();
        using var meters = fixture.RecordMeters();
        // Out of bounds: outside the 300×200 map, over the max level, hp above max hp.
        Assert.Equal(Code(ClusterError.OutOfBounds), (await SaveAsync(character, epoch, 0, Record(x: 300))).Code);
        Assert.Equal(Code(ClusterError.OutOfBounds), (await SaveAsync(character, epoch, 0, Record(baseLevel: 999))).Code);
        // Implausible: a billion zeny more within a minute (the default allows 100 million a minute).
        Assert.Equal(Code(ClusterError.ImplausibleDelta), (await SaveAsync(character, epoch, 0, Record(zeny: 999_000_000))).Code);
        // A stale version: another write came first.
        Assert.Equal(ProtocolError.None, (await SaveAsync(character, epoch, 0, Record())).Code);
        Assert.Equal(Code(ClusterError.VersionConflict), (await SaveAsync(character, epoch, 0, Record(x: 151))).Code);
        // A stale epoch: the host writes for a map epoch it no longer holds.
        Assert.Equal(Code(ClusterError.StaleEpoch), (await SaveAsync(character, epoch - 1 < 1 ? epoch + 1 : epoch - 1, 1, Record())).Code);

        var audit = AuditOf(character);
        Assert.Equal(
            [ClusterError.OutOfBounds, ClusterError.OutOfBounds, ClusterError.ImplausibleDelta, ClusterError.None, ClusterError.VersionConflict, ClusterError.StaleEpoch],
            audit.Select(a => a.Code));
        Assert.Equal(1, audit.Count(a => a.Accepted));
        var host = await fixture.Grains.GetGrain<IHostGrain>(HostId).GetAsync();
        Assert.True(host.Reliability.RejectedWrites >= 5, $"rejected writes counted against the host: {host.Reliability.RejectedWrites}");

        // p2p_db_proxy_saves_total{outcome, code} and the save duration histogram, one measurement per save.
        Assert.Equal(1, meters.Sum("p2p.db_proxy.saves", ("outcome", "acknowledged"), ("code", "None")));
        Assert.Equal(2, meters.Sum("p2p.db_proxy.saves", ("outcome", "refused"), ("code", "OutOfBounds")));
        Assert.Equal(1, meters.Sum("p2p.db_proxy.saves", ("outcome", "refused"), ("code", "ImplausibleDelta")));
        Assert.Equal(1, meters.Sum("p2p.db_proxy.saves", ("outcome", "refused"), ("code", "VersionConflict")));
        Assert.Equal(1, meters.Sum("p2p.db_proxy.saves", ("outcome", "refused"), ("code", "StaleEpoch")));
        Assert.Equal(6, meters.Count("p2p.db_proxy.save.duration"));
    }

    [Fact]
    public async Task ADeposedHostsGoodbyeIsRefusedButNotCountedAgainstIt()
    {
        // A drain or a planned move: the map goes on under a new epoch on another host, and the old host's
        // DB_SET_ONLINE 0 for the player it just handed over arrives after. It is refused (the coordinator's session
        // keeps the flag from now on) but it is no misbehaviour: it must not count against the host's reliability.
        var (character, epoch) = await PlayerOnMapAsync();
        var map = fixture.Grains.GetGrain<IMapGrain>(Map);
        var other = SigningIdentity.Generate();
        await fixture.Grains.PlaceOnAsync(Map, HandshakeCrypto.HostId(other.PublicKey), HostKind.Vps, "127.0.0.1:6122");
        Assert.True((await map.GetAsync()).Epoch > epoch);

        Assert.Equal(Code(ClusterError.StaleEpoch), (await SetOnlineAsync(character, epoch, online: false)).Code);
        Assert.Equal(new GrainsCharacterAudit("offline", false, ClusterError.StaleEpoch), AuditOf(character).Last());

        // A save under the old epoch still counts: that write would have lost or overwritten something. Reports go
        // out one-way in order, so once the save's is counted the goodbye's would have been too.
        Assert.Equal(Code(ClusterError.StaleEpoch), (await SaveAsync(character, epoch, 0, Record())).Code);
        var hostGrain = fixture.Grains.GetGrain<IHostGrain>(HostId);
        int rejected = await Eventually.HoldsAsync(async () => (await hostGrain.GetAsync()).Reliability.RejectedWrites, n => n != 0,
            "the refused write counted", Wait, TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, rejected);
    }

    [Fact]
    public async Task AHostsLateWritesAfterAnOperatorEndedTheSessionAreRefusedButNotCountedAgainstIt()
    {
        // An operator ends a player's session (admin API); its host has not heard and saves, then says goodbye.
        // Both are refused, but the host did nothing wrong: its reliability and the refused-writes alert must not
        // count them.
        var (character, epoch) = await PlayerOnMapAsync();
        await fixture.Grains.GetGrain<IPlayerSessionGrain>(character).LogoutAsync();
        Assert.Equal(Code(ClusterError.NotOnMap), (await SaveAsync(character, epoch, 0, Record())).Code);
        Assert.Equal(Code(ClusterError.NotOnMap), (await SetOnlineAsync(character, epoch, online: false)).Code);

        // Then a write that is wrong (the map moved on): counted, and reports go out in order, so it is the only one.
        var map = fixture.Grains.GetGrain<IMapGrain>(Map);
        await fixture.Grains.PlaceOnAsync(Map, HandshakeCrypto.HostId(SigningIdentity.Generate().PublicKey), HostKind.Vps, "127.0.0.1:6122");
        Assert.Equal(Code(ClusterError.StaleEpoch), (await SaveAsync(character, epoch, 0, Record())).Code);
        var hostGrain = fixture.Grains.GetGrain<IHostGrain>(HostId);
        int rejected = await Eventually.HoldsAsync(async () => (await hostGrain.GetAsync()).Reliability.RejectedWrites, n => n != 0,
            "the refused write counted", Wait, TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, rejected);
    }

    [Fact]
    public async Task ACharacterThatIsNotOnTheMapCannotBeWrittenOrLoaded()
    {
        var (_, epoch) = await PlayerOnMapAsync();
        int account = Interlocked.Increment(ref _nextAccount), stranger = Interlocked.Increment(ref _nextChar);
        fixture.Accounts.Add(new AccountRecord(account, $"dbuser{account}", "pw-ok", 'M', 0));
        fixture.Accounts.Add(new CharacterSummary(stranger, account, 0, $"Db{stranger}", 0, 10, "prontera", 150, 100));
        Assert.Equal(Code(ClusterError.NotOnMap), (await SaveAsync((uint)stranger, epoch, 0, Record())).Code);
        Assert.Equal(Code(ClusterError.NotOnMap), (await LoadAsync((uint)stranger, epoch)).Code);
        Assert.Equal([new("save", false, ClusterError.NotOnMap), new("load", false, ClusterError.NotOnMap)], AuditOf((uint)stranger));
    }

    [Fact]
    public async Task ConcurrentSavesOfOneCharacterAreSerialized()
    {
        var (character, epoch) = await PlayerOnMapAsync();
        // Twenty saves replacing the same version, sent without waiting: exactly one applies.
        var requests = Enumerable.Range(0, 20).Select(i => new DbSaveCharPacket(++_nextRequest, character, Map, (ulong)epoch, 0, NewKey(), Record(x: (ushort)(100 + i)))).ToList();
        foreach (var r in requests) await _proxy.SendAsync(r);
        var codes = new List<ProtocolError>();
        while (codes.Count < requests.Count) codes.Add((await NextAsync<DbResultPacket>(_proxy, p => p.CharId == character)).Code);
        Assert.Equal(1, codes.Count(c => c == ProtocolError.None));
        Assert.Equal(19, codes.Count(c => c == Code(ClusterError.VersionConflict)));
        Assert.Equal(1ul, (await LoadAsync(character, epoch)).Version);
    }

    [Fact]
    public async Task ASecondProxyConnectionWithTheSameKeyReplacesTheFirst()
    {
        var (character, epoch) = await PlayerOnMapAsync();
        await using var second = await CoordinatorConnection.ConnectAsync(fixture.DbProxyEndpoint, fixture.ClientOptions(_identity));
        var e = await Assert.ThrowsAsync<ProtocolException>(() => _proxy.Completion.WaitAsync(Wait));
        Assert.Equal(ProtocolError.SessionReplaced, e.Code);
        // The newer proxy session serves the host, whose gateway session is untouched.
        const uint request = 900_001;
        await second.SendAsync(new DbLoadCharPacket(request, character, Map, (ulong)epoch));
        Assert.Equal(ProtocolError.None, (await NextAsync<DbCharPacket>(second, p => p.RequestId == request)).Code);
        Assert.True((await _host.PingAsync(throughCluster: true).WaitAsync(Wait)).ServerTimeMs > 0);
    }

    [Fact]
    public async Task OnlyConnectedHostAgentsMayUseTheProxyAndOnlyThere()
    {
        // A game client is refused at the handshake.
        var client = fixture.ClientOptions();
        var e = await Assert.ThrowsAsync<ProtocolException>(() => CoordinatorConnection.ConnectAsync(fixture.DbProxyEndpoint, client));
        Assert.Equal(ProtocolError.IdentityRejected, e.Code);

        // A host key the cluster has never seen connect is refused.
        using var stranger = SigningIdentity.Generate();
        e = await Assert.ThrowsAsync<ProtocolException>(() => CoordinatorConnection.ConnectAsync(fixture.DbProxyEndpoint, fixture.ClientOptions(stranger)));
        Assert.Equal(Code(ClusterError.IdentityMismatch), e.Code);

        // Database requests at the gateway port are not valid there.
        var (character, epoch) = await PlayerOnMapAsync();
        await _host.SendAsync(new DbLoadCharPacket(1, character, Map, (ulong)epoch));
        var closed = await Assert.ThrowsAsync<ProtocolException>(() => _host.Completion.WaitAsync(Wait));
        Assert.Equal(ProtocolError.UnexpectedPacket, closed.Code);
    }
}
