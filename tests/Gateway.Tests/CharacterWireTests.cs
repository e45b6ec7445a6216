using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Tests;

/// <summary>The one mapping between the grains' character and its two wire forms.</summary>
public sealed class CharacterWireTests
{
    private static readonly CharacterSnapshot Row = new(119, 59, 99, 50, 1UL << 40, 123_456, 987_654, 3_210, 456,
        Str: 9, Agi: 8, Vit: 7, Int: 6, Dex: 5, Luk: 4, StatusPoint: 3, SkillPoint: 2, MaxHp: 4_000, MaxSp: 500);

    [Fact]
    public void TheRowCrossesTheWireWhole()
    {
        var record = CharacterWire.ToRecord(Row);
        Assert.Equal(new CharacterRecord(119, 59, 99, 50, 1UL << 40, 123_456, 987_654, 9, 8, 7, 6, 5, 4, 3, 2, 3_210, 4_000, 456, 500), record);
        Assert.Equal(Row, CharacterWire.FromRecord(record));
    }

    [Fact]
    public void TheCarriedProgressIsItsOwnFieldsOnly()
    {
        var state = CharacterWire.ToState(Row);
        Assert.Equal(new CharacterState(119, 59, 99, 50, 1UL << 40, 123_456, 987_654, 3_210, 456), state);
        Assert.Equal(new CharacterSnapshot(119, 59, 99, 50, 1UL << 40, 123_456, 987_654, 3_210, 456), CharacterWire.FromState(state));
        Assert.Equal(default, CharacterWire.ToState(null));
    }

    [Fact]
    public void ValuesTheWireCannotHoldAreClampedNotWrapped()
    {
        var odd = Row with { X = -1, Y = 70_000, Str = 65_536 };
        Assert.Equal((0, ushort.MaxValue, ushort.MaxValue), (CharacterWire.ToRecord(odd).X, CharacterWire.ToRecord(odd).Y, CharacterWire.ToRecord(odd).Str));
        Assert.Equal((0, ushort.MaxValue), (CharacterWire.ToState(odd).X, CharacterWire.ToState(odd).Y));
    }
}
