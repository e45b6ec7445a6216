using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using NSec.Cryptography;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>tickets</c>: what a ticket costs on one core, against the bare Ed25519 operation under it. The
/// coordinator issues one per resolve (build, random nonce, <see cref="Ticket.Sign"/>), a host verifies one per player
/// arriving (<see cref="TicketVerifier.Verify"/>: parse, key id, signature, window, host, epoch, replay memory). All
/// four operations run on one thread pinned to one CPU, in slices that rotate through them, and are rated per second
/// of this process's CPU time.
/// </summary>
public static class TicketsScenario
{
    private const long LifetimeMs = 60_000; // what the coordinator issues (docs/protocol.md §8a)
    private const string Map = "prontera";
    private const ulong Epoch = 3;
    private const double PoolMargin = 1.5;
    private const int BareRing = 65_536;
    private static readonly long StartMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static Task<int> RunAsync(TicketOptions options, CancellationToken cancellationToken)
    {
        CpuClock.RequireLinux();
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A thread of its own rather than a pool thread: pinned for the whole run, and nothing else is queued on it.
        new Thread(() =>
        {
            try
            {
                done.SetResult(Run(options, cancellationToken));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { Name = "tickets", IsBackground = true }.Start();
        return done.Task;
    }

    private static int Run(TicketOptions options, CancellationToken cancellationToken)
    {
        string pinned = CpuClock.TryPin(options.Cpu, out int errno) ? $"pinned to cpu {options.Cpu}" : $"not pinned (sched_setaffinity errno {errno})";
        using var coordinator = SigningIdentity.Generate();
        using var host = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(host.PublicKey);
        var sample = NewTicket(coordinator, hostId, StartMs, RandomNumberGenerator.GetBytes(Ticket.NonceLength)).Sign(coordinator);
        int bodyLength = sample.Length - ProtocolLimits.SignatureLength;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tickets scenario: one thread, {pinned}; per operation {options.Window.TotalSeconds:F0} s measured in {options.Slices} slices rotating bare sign, issue, bare verify, verify, " +
            $"each after a warm-up; rates per second of process CPU time; {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; " +
            $"ticket {sample.Length} bytes on the wire, {Ticket.SignatureLabel.Length + bodyLength} bytes signed"));

        // The host: its replay memory in steady state. Tickets are issued one every 1000/admissions ms of ticket time,
        // the host's clock follows them, and each is remembered until it expires (60 s + 5 s skew).
        var clock = new TicketClock();
        var verifier = new TicketVerifier([coordinator.PublicKey], hostId, clock);
        var held = new Dictionary<string, ulong>(StringComparer.Ordinal) { [Map] = Epoch }; // the maps this host runs
        Func<string, ulong?> heldEpoch = map => held.TryGetValue(map, out ulong epoch) ? epoch : null;
        int fill = (int)(options.Admissions * (LifetimeMs + (long)verifier.ClockSkew.TotalMilliseconds + 1000) / 1000);

        // Enough distinct tickets for the fill and every verify slice, however fast: one thread cannot verify more per
        // second of wall time than the bare verify rate per second of its CPU time.
        var sampleInput = Ticket.SignatureInput(sample.AsSpan(0, bodyLength));
        var publicKey = coordinator.Key.PublicKey;
        var calibration = Measure("calibration", () => SignatureAlgorithm.Ed25519.Verify(publicKey, sampleInput, sample.AsSpan(bodyLength)), TimeSpan.Zero, TimeSpan.FromSeconds(1), cancellationToken);
        double verifySeconds = (options.Window + options.Warmup + (options.Slices - 1) * (options.Warmup / 4)).TotalSeconds;
        int poolSize = fill + (int)Math.Ceiling(calibration.Operations / calibration.ThreadCpuSeconds * verifySeconds * PoolMargin);
        long signStart = Stopwatch.GetTimestamp();
        var pool = new byte[poolSize][];
        Parallel.For(0, poolSize, i => pool[i] = NewTicket(coordinator, hostId, IssuedMs(i, options), RandomNumberGenerator.GetBytes(Ticket.NonceLength)).Sign(coordinator));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pre-signed {poolSize:N0} distinct tickets in {Stopwatch.GetElapsedTime(signStart).TotalSeconds:F1} s ({fill:N0} to fill the replay memory, the rest for the verify slices)"));

        // The bare operations sign and verify exactly what tickets sign, through NSec directly: the signed bytes
        // (label ‖ body) and signatures of the first pool tickets, in turn. Distinct inputs matter for verify, whose
        // branches and table lookups depend on the signature (variable-time scalar multiplication): verifying one
        // signature over and over lets the CPU learn them, and ran 7–8 % faster here. The ring (11 MB) is larger
        // than the caches, as the pool is.
        var ring = pool.Take(BareRing).Select(wire => (Message: Ticket.SignatureInput(wire.AsSpan(0, bodyLength)), Signature: wire[bodyLength..])).ToArray();
        var signature = new byte[ProtocolLimits.SignatureLength];
        int turn = 0, next = 0;
        void BareSign() => SignatureAlgorithm.Ed25519.Sign(coordinator.Key, ring[turn++ % ring.Length].Message, signature);
        void BareVerify()
        {
            var (message, expected) = ring[turn++ % ring.Length];
            if (!SignatureAlgorithm.Ed25519.Verify(publicKey, message, expected)) throw new LoadToolException("a ticket's signature did not verify through NSec");
        }
        void Issue() // what the coordinator does per resolve
        {
            long now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            NewTicket(coordinator, hostId, now, RandomNumberGenerator.GetBytes(Ticket.NonceLength)).Sign(coordinator);
        }
        void Verify()
        {
            if (next == pool.Length) throw new LoadToolException($"the {pool.Length:N0} pre-signed tickets ran out (bare verify calibrated at {calibration.PerSecond:N0}/s): run again");
            clock.NowMs = IssuedMs(next, options);
            var error = verifier.Verify(pool[next++], heldEpoch, out _);
            if (error != TicketError.None) throw new LoadToolException($"pre-signed ticket {next - 1} was refused: {error}");
        }

        long fillStart = Stopwatch.GetTimestamp();
        while (next < fill) Verify();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay memory filled in {Stopwatch.GetElapsedTime(fillStart).TotalSeconds:F1} s: {verifier.Remembered:N0} tickets remembered (a host admitting {options.Admissions} players per second, {LifetimeMs / 1000} s tickets)"));
        // The pool and the replay memory are long-lived: promote them now rather than during the first slices.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        (string Name, Action Run)[] operations = [("bare sign", BareSign), ("issue", Issue), ("bare verify", BareVerify), ("verify", Verify)];
        var parts = operations.Select(_ => new List<OperationMeasurement>()).ToArray();
        for (int slice = 0; slice < options.Slices; slice++)
        {
            var warmup = slice == 0 ? options.Warmup : options.Warmup / 4;
            for (int k = 0; k < operations.Length; k++)
                parts[k].Add(Measure(operations[k].Name, operations[k].Run, warmup, options.Window / options.Slices, cancellationToken));
        }
        var (sign, issue, bareVerify, verify) = (Combine(parts[0]), Combine(parts[1]), Combine(parts[2]), Combine(parts[3]));
        Console.WriteLine($"  slice ratios issue / bare sign: {SliceRatios(parts[1], parts[0])}; verify / bare verify: {SliceRatios(parts[3], parts[2])}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  replay memory at the end: {verifier.Remembered:N0} tickets"));

        double issueRatio = issue.PerSecond / sign.PerSecond, verifyRatio = verify.PerSecond / bareVerify.PerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT tickets issue_per_s={issue.PerSecond:F0} verify_per_s={verify.PerSecond:F0} sign_per_s={sign.PerSecond:F0} bare_verify_per_s={bareVerify.PerSecond:F0} " +
            $"issue_ratio={issueRatio:F2} verify_ratio={verifyRatio:F2} ratio={Math.Min(issueRatio, verifyRatio):F2}"));
        return 0;
    }

    private static Ticket NewTicket(SigningIdentity coordinator, string hostId, long issuedMs, byte[] nonce) =>
        new(coordinator.KeyId, 2000001, 150000, Map, hostId, Epoch, issuedMs, issuedMs + LifetimeMs, nonce);

    private static long IssuedMs(int ticket, TicketOptions options) => StartMs + ticket * 1000L / options.Admissions;

    private static OperationMeasurement Combine(List<OperationMeasurement> parts)
    {
        var all = OperationMeasurement.Combine(parts);
        Console.WriteLine(all.Describe());
        return all;
    }

    private static string SliceRatios(List<OperationMeasurement> wrapped, List<OperationMeasurement> bare) =>
        string.Join(' ', wrapped.Zip(bare, (w, b) => (w.PerSecond / b.PerSecond).ToString("F2", CultureInfo.InvariantCulture)));

    /// <summary>Runs <paramref name="operation"/> in a tight loop on this thread: unmeasured for <paramref name="warmup"/>, then measured for <paramref name="window"/>.</summary>
    private static OperationMeasurement Measure(string name, Action operation, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        Loop(operation, warmup, cancellationToken);
        var start = OperationMeasurement.Sample.Start();
        long operations = Loop(operation, window, cancellationToken);
        return OperationMeasurement.Between(name, operations, start, OperationMeasurement.Sample.End());
    }

    private static long Loop(Action operation, TimeSpan duration, CancellationToken cancellationToken)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long count = 0;
        do
        {
            // The clock is read every 8 operations: at 15–50 µs each the window overshoots by well under a millisecond.
            for (int i = 0; i < 8; i++) operation();
            count += 8;
            cancellationToken.ThrowIfCancellationRequested();
        }
        while (Stopwatch.GetTimestamp() < end);
        return count;
    }
}
