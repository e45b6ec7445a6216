using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// One admitted player's character at the database proxy: loaded and marked online at admission (<see cref="Open"/>),
/// saved from the state the player carries (<see cref="SaveAsync"/>), marked offline when the player leaves
/// (<see cref="CloseAsync"/>). Saves are coalesced: while one is in flight the next waits, and only the newest state
/// waiting is sent. Each save starts from the last state the proxy acknowledged, so fields the player does not
/// carry keep their saved values and a failed save loses nothing that was acknowledged. The proxy's failures are
/// logged and never thrown: the coordinator's session still carries the player's state.
/// </summary>
public sealed partial class CharacterSync(ICharacterDatabase database, uint charId, string map, ulong epoch, ILogger logger)
{
    private readonly Lock _lock = new();
    private Task _opened = Task.CompletedTask;
    private Task _saves = Task.CompletedTask;
    private CharacterState? _next;                                  // the newest state waiting to be saved
    private List<TaskCompletionSource<ProtocolError>> _waiting = []; // who waits for it
    private bool _saving;

    // The record and version the proxy last acknowledged (loaded or saved): what the next save starts from and replaces.
    // Only the one flow at a time touches them: the opening, then saves one after another, then the close.
    private CharacterRecord _record;
    private ulong _version;
    private bool _loaded;

    public uint CharId => charId;

    /// <summary>Starts DB_LOAD_CHAR, then DB_SET_ONLINE 1, in the background; saves and the close wait for it.</summary>
    public void Open() => _opened = OpenAsync();

    private async Task OpenAsync()
    {
        if (!await LoadAsync()) return;
        try
        {
            _version = await database.SetOnlineAsync(charId, map, epoch, true);
            LogOnline(logger, map, charId, _version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, map, charId, "DB_SET_ONLINE 1", Describe(e));
        }
    }

    /// <summary>
    /// Saves <paramref name="state"/> (DB_SAVE_CHAR). Returns <see cref="ProtocolError.None"/> once it, or a newer
    /// state that replaced it while it waited, is saved; the proxy's refusal code (e.g. 273 OutOfBounds); or a
    /// transient code (<see cref="ICharacterDatabase.IsTransient"/>) when the proxy could not be asked. Never throws.
    /// </summary>
    public Task<ProtocolError> SaveAsync(CharacterState state)
    {
        var done = new TaskCompletionSource<ProtocolError>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_next is not null) LogReplaced(logger, map, charId);
            _next = state;
            _waiting.Add(done);
            if (!_saving)
            {
                _saving = true;
                _saves = SaveLoopAsync(); // returns at its first await, which always yields
            }
        }
        return done.Task;
    }

    private async Task SaveLoopAsync()
    {
        await Task.Yield(); // out of the caller's lock before anything else
        await _opened;
        while (true)
        {
            CharacterState state;
            List<TaskCompletionSource<ProtocolError>> waiting;
            lock (_lock)
            {
                if (_next is not { } next)
                {
                    _saving = false;
                    return;
                }
                (state, waiting, _next, _waiting) = (next, _waiting, null, []);
            }
            var code = await SaveOnceAsync(state);
            foreach (var done in waiting) done.TrySetResult(code);
        }
    }

    private async Task<ProtocolError> SaveOnceAsync(CharacterState state)
    {
        if (!_loaded && !await LoadAsync()) return ProtocolError.Unavailable;
        for (int attempt = 0; ; attempt++)
        {
            var record = Carry(_record, state);
            try
            {
                ulong version = await database.SaveAsync(charId, map, epoch, _version, record);
                (_record, _version) = (record, version);
                LogSaved(logger, map, charId, version);
                return ProtocolError.None;
            }
            catch (RequestRefusedException e) when (e.Code == VersionConflict && attempt == 0)
            {
                // Another write came first, e.g. a save this host stopped waiting for that committed later: start again from the stored row.
                LogConflict(logger, map, charId, _version);
                if (!await LoadAsync()) return ProtocolError.Unavailable;
            }
            catch (RequestRefusedException e) when (!ICharacterDatabase.IsTransient(e.Code))
            {
                LogRefused(logger, map, charId, ErrorNames.Name(e.Code), (ushort)e.Code);
                return e.Code;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, map, charId, "DB_SAVE_CHAR", Describe(e));
                return e is RequestRefusedException refused ? refused.Code : ProtocolError.Unavailable;
            }
        }
    }

    /// <summary>After the player left: waits for the saves under way, then DB_SET_ONLINE 0 (if this host loaded the character). Never throws.</summary>
    public async Task CloseAsync()
    {
        await _opened;
        Task saves;
        lock (_lock) saves = _saves;
        await saves;
        if (!_loaded) return;
        try
        {
            _version = await database.SetOnlineAsync(charId, map, epoch, false);
            LogOffline(logger, map, charId, _version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, map, charId, "DB_SET_ONLINE 0", Describe(e));
        }
    }

    private async Task<bool> LoadAsync()
    {
        try
        {
            (_record, _version) = await database.LoadAsync(charId, map, epoch);
            _loaded = true;
            LogLoaded(logger, map, charId, _version);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, map, charId, "DB_LOAD_CHAR", Describe(e));
            return false;
        }
    }

    /// <summary>The saved record with what the player carries laid over it; the rest (stats, points, max hp/sp) stays as saved.</summary>
    public static CharacterRecord Carry(CharacterRecord saved, CharacterState state) => saved with
    {
        X = state.X, Y = state.Y, BaseLevel = state.BaseLevel, JobLevel = state.JobLevel, BaseExp = state.BaseExp, JobExp = state.JobExp,
        Zeny = state.Zeny, Hp = state.Hp, Sp = state.Sp,
    };

    private const ProtocolError VersionConflict = ProtocolError.ClusterBase + 19;

    private static string Describe(Exception e) => e is RequestRefusedException r ? $"{ErrorNames.Describe(r.Code)}, {r.Reason}" : e.Message;

    [LoggerMessage(EventId = 5410, Level = LogLevel.Debug, Message = "Map {Map}: char {CharId} loaded from the database proxy (version {Version})")]
    private static partial void LogLoaded(ILogger logger, string map, uint charId, ulong version);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Debug, Message = "Map {Map}: char {CharId} marked online (version {Version})")]
    private static partial void LogOnline(ILogger logger, string map, uint charId, ulong version);

    [LoggerMessage(EventId = 5412, Level = LogLevel.Information, Message = "Map {Map}: char {CharId} saved through the database proxy (version {Version})")]
    private static partial void LogSaved(ILogger logger, string map, uint charId, ulong version);

    [LoggerMessage(EventId = 5413, Level = LogLevel.Debug, Message = "Map {Map}: char {CharId} marked offline (version {Version})")]
    private static partial void LogOffline(ILogger logger, string map, uint charId, ulong version);

    [LoggerMessage(EventId = 5414, Level = LogLevel.Warning,
        Message = "Map {Map}: {Operation} of char {CharId} failed: {Reason}; carrying on (the coordinator's session keeps the player's state)")]
    private static partial void LogFailed(ILogger logger, string map, uint charId, string operation, string reason);

    [LoggerMessage(EventId = 5415, Level = LogLevel.Warning, Message = "Map {Map}: the database proxy refused to save char {CharId}: {Code} ({CodeNumber}); nothing was written")]
    private static partial void LogRefused(ILogger logger, string map, uint charId, string code, ushort codeNumber);

    [LoggerMessage(EventId = 5416, Level = LogLevel.Debug, Message = "Map {Map}: char {CharId}: a newer state replaces the one waiting to be saved")]
    private static partial void LogReplaced(ILogger logger, string map, uint charId);

    [LoggerMessage(EventId = 5417, Level = LogLevel.Information, Message = "Map {Map}: char {CharId} is no longer at version {Version} in the database; reloading it and saving again")]
    private static partial void LogConflict(ILogger logger, string map, uint charId, ulong version);
}
