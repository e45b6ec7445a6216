using Xunit.Abstractions;
using Xunit.Sdk;

namespace P2PCluster.Chaos;

/// <summary>
/// Runs the fault tests in the order of their <see cref="FaultAttribute"/>: the partition first, while the namespaced
/// host still runs a map (after other faults the maps it had may be elsewhere, and nothing moves them back); the
/// silo faults last, since they are the likeliest to leave a cluster that does not heal.
/// </summary>
public sealed class FaultOrderer : ITestCaseOrderer
{
    public const string Name = "P2PCluster.Chaos.FaultOrderer", Assembly = "P2PCluster.Chaos";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(c => c.TestMethod.Method.GetCustomAttributes(typeof(FaultAttribute).AssemblyQualifiedName!)
            .FirstOrDefault()?.GetNamedArgument<int>(nameof(FaultAttribute.Order)) ?? int.MaxValue);
}
