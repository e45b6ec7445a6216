namespace P2PCluster.Gateway.Tests;

/// <summary>
/// The grain references a gateway connection keeps (<see cref="GrainRefs{TKey, TGrain}"/>): made once per key, at most
/// the bound of them, then forgotten all at once.
/// </summary>
public sealed class GrainRefsTests
{
    private readonly List<uint> _resolved = [];

    private GrainRefs<uint, object> Refs(int maxKept) => new(maxKept, key =>
    {
        _resolved.Add(key);
        return new object();
    });

    [Fact]
    public void AKeyAskedForAgainGetsTheKeptReferenceWithoutResolvingIt()
    {
        var refs = Refs(4);
        var first = refs.Get(7);

        Assert.Same(first, refs.Get(7));
        Assert.NotSame(first, refs.Get(8));
        Assert.Equal([7u, 8u], _resolved);
    }

    [Fact]
    public void NoMoreThanTheBoundIsKeptAndAKeyBeyondItStartsAfresh()
    {
        var refs = Refs(3);
        for (uint key = 1; key <= 3; key++) refs.Get(key);
        Assert.Equal(3, refs.Count);

        refs.Get(4); // a fourth key: the three kept are forgotten
        Assert.Equal(1, refs.Count);
        refs.Get(1);
        Assert.Equal([1u, 2u, 3u, 4u, 1u], _resolved);

        for (uint key = 100; key < 200; key++) refs.Get(key);
        Assert.InRange(refs.Count, 1, 3);
    }
}
