using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Hosting.Tests.Keys;

/// <summary>The key set's states follow from its dates and the clock; rotate, retire and revoke change only dates.</summary>
public sealed class KeyRolloverTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private static readonly TimeSpan Rollover = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static CoordinatorKeySet Apply(CoordinatorKeySet set, KeySetEdit edit) =>
        new(set.Entries.Where(e => edit.Changed.All(c => c.KeyId != e.KeyId)).Concat(edit.Changed).ToList());

    private static (CoordinatorKeySet Set, string Old, string New) Rotated()
    {
        using var first = SigningIdentity.Generate();
        using var second = SigningIdentity.Generate();
        var set = Apply(CoordinatorKeySet.Empty, KeyRollover.Seed(CoordinatorKeySet.Empty, first, T0));
        set = Apply(set, KeyRollover.Rotate(set, second, T0 + TimeSpan.FromSeconds(10), Rollover, Grace));
        return (set, KeyNames.KeyId(first.PublicKey), KeyNames.KeyId(second.PublicKey));
    }

    private static CoordinatorKeyState? State(CoordinatorKeySet set, string id, DateTimeOffset at) => set.StateOf(set.Find(id)!, at);

    [Fact]
    public void RotatedKeyIsNextThenActiveWhileTheOldOneRetiresAfterTheGrace()
    {
        var (set, old, @new) = Rotated();
        var switchAt = T0 + TimeSpan.FromSeconds(10) + Rollover;

        Assert.Equal(old, set.Signing(switchAt - TimeSpan.FromMilliseconds(1))!.KeyId);
        Assert.Equal(CoordinatorKeyState.Next, State(set, @new, switchAt - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(2, set.Verifying(switchAt - TimeSpan.FromMilliseconds(1)).Count()); // the next key is trusted before it signs

        Assert.Equal(@new, set.Signing(switchAt)!.KeyId);
        Assert.Equal(CoordinatorKeyState.Retiring, State(set, old, switchAt));
        Assert.Equal(switchAt + Grace, set.Find(old)!.RetireAt);
        Assert.Equal(2, set.Verifying(switchAt + Grace - TimeSpan.FromMilliseconds(1)).Count());

        Assert.Null(State(set, old, switchAt + Grace));
        Assert.Equal([@new], set.Verifying(switchAt + Grace).Select(e => e.KeyId));
    }

    [Fact]
    public void SecondRotateWhileAKeyIsAnnouncedIsRefused()
    {
        var (set, _, @new) = Rotated();
        using var third = SigningIdentity.Generate();
        var e = Assert.Throws<KeySetException>(() => KeyRollover.Rotate(set, third, T0 + TimeSpan.FromSeconds(20), Rollover, Grace));
        Assert.Contains(@new, e.Message);
    }

    [Fact]
    public void RetireEndsARetiringKeysGraceButRefusesTheActiveAndNextKeys()
    {
        var (set, old, @new) = Rotated();
        var now = T0 + TimeSpan.FromSeconds(10);
        Assert.Contains("active key", Assert.Throws<KeySetException>(() => KeyRollover.Retire(set, old, now)).Message);
        Assert.Contains("--revoke", Assert.Throws<KeySetException>(() => KeyRollover.Retire(set, @new, now)).Message);
        Assert.Contains("no key", Assert.Throws<KeySetException>(() => KeyRollover.Retire(set, "0000000000000000", now)).Message);

        var later = now + Rollover + TimeSpan.FromSeconds(1);
        set = Apply(set, KeyRollover.Retire(set, old.ToUpperInvariant(), later));
        Assert.Null(State(set, old, later));
        Assert.Equal([@new], set.Verifying(later).Select(e => e.KeyId));
    }

    [Fact]
    public void RevokingTheActiveKeyActivatesTheNextKeyAtOnce()
    {
        var (set, old, @new) = Rotated();
        var now = T0 + TimeSpan.FromSeconds(20);
        using var spare = SigningIdentity.Generate();
        set = Apply(set, KeyRollover.Revoke(set, old, now, spare));
        Assert.Equal(CoordinatorKeyState.Revoked, State(set, old, now));
        Assert.Equal(@new, set.Signing(now)!.KeyId);
        Assert.Null(set.Find(KeyNames.KeyId(spare.PublicKey)));
        Assert.DoesNotContain(set.Verifying(now), e => e.KeyId == old);
        Assert.Empty(KeyRollover.Revoke(set, old, now, spare).Changed); // idempotent
    }

    [Fact]
    public void RevokingTheOnlyKeyMakesTheReplacementActive()
    {
        using var only = SigningIdentity.Generate();
        using var replacement = SigningIdentity.Generate();
        var set = Apply(CoordinatorKeySet.Empty, KeyRollover.Seed(CoordinatorKeySet.Empty, only, T0));
        Assert.Empty(KeyRollover.Seed(set, replacement, T0).Changed); // a seeded set is never re-seeded
        var edit = KeyRollover.Revoke(set, KeyNames.KeyId(only.PublicKey), T0 + TimeSpan.FromSeconds(1), replacement);
        Assert.Contains("re-pinned", edit.Summary);
        set = Apply(set, edit);
        Assert.Equal(KeyNames.KeyId(replacement.PublicKey), set.Signing(T0 + TimeSpan.FromSeconds(1))!.KeyId);
    }
}
