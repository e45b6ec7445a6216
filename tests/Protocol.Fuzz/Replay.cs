using SharpFuzz;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>Runs saved inputs once each outside AFL: every seed must pass; a crash file shows its exception.</summary>
internal static class Replay
{
    public static int Run(ReadOnlySpanAction target, IEnumerable<string> files)
    {
        int failed = 0, total = 0;
        foreach (string file in files)
        {
            total++;
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }
        Console.WriteLine($"replayed {total} inputs, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
