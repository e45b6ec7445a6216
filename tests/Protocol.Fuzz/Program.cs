using P2PCluster.Protocol.Fuzz;
using SharpFuzz;

// Usage: <codec|handshake|sealed>             run under afl-fuzz (one input per execution, persistent)
//        seeds <dir>                          write every target's seed inputs into <dir>/<target>/
//        replay <codec|handshake|sealed> <file>...   run inputs once, print what each does (crash triage, CI)
var targets = new Dictionary<string, ReadOnlySpanAction>
{
    ["codec"] = CodecTarget.Run,
    ["handshake"] = HandshakeTarget.Run,
    ["sealed"] = SealedTarget.Run,
};

switch (args)
{
    case ["seeds", var dir]:
        Console.WriteLine($"{SeedCorpus.Write(dir)} seeds written to {dir}");
        return 0;
    case ["replay", var name, .. var files] when targets.TryGetValue(name, out var replayed):
        return Replay.Run(replayed, files);
    case [var name] when targets.TryGetValue(name, out var target):
        var input = new MemoryStream();
        Fuzzer.Run(stream =>
        {
            input.SetLength(0);
            stream.CopyTo(input);
            target(input.GetBuffer().AsSpan(0, (int)input.Length));
        });
        return 0;
    default:
        Console.Error.WriteLine($"usage: seeds <dir> | replay <{string.Join('|', targets.Keys)}> <file>... | <{string.Join('|', targets.Keys)}>");
        return 2;
}
