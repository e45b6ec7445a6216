using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// The one mapping between the grains' character (<see cref="CharacterSnapshot"/>) and its two wire forms: the
/// progress a player carries between hosts (<see cref="CharacterState"/>, <c>character_state</c>) and the row the
/// database proxy loads and saves (<see cref="CharacterRecord"/>, <c>character_record</c>). Wire fields are unsigned
/// 16 bits where the model holds an int: values outside are clamped, never wrapped.
/// </summary>
public static class CharacterWire
{
    /// <summary>The progress a host hands the player (a session with no character yet: all zero).</summary>
    public static CharacterState ToState(CharacterSnapshot? c) => c is null ? default
        : new CharacterState(U16(c.X), U16(c.Y), U16(c.BaseLevel), U16(c.JobLevel), c.BaseExp, c.JobExp, c.Zeny, c.Hp, c.Sp);

    /// <summary>The progress a host saved; the columns it does not carry are 0.</summary>
    public static CharacterSnapshot FromState(CharacterState s) =>
        new(s.X, s.Y, s.BaseLevel, s.JobLevel, s.BaseExp, s.JobExp, s.Zeny, s.Hp, s.Sp);

    public static CharacterRecord ToRecord(CharacterSnapshot c) =>
        new(U16(c.X), U16(c.Y), U16(c.BaseLevel), U16(c.JobLevel), c.BaseExp, c.JobExp, c.Zeny,
            U16(c.Str), U16(c.Agi), U16(c.Vit), U16(c.Int), U16(c.Dex), U16(c.Luk),
            c.StatusPoint, c.SkillPoint, c.Hp, c.MaxHp, c.Sp, c.MaxSp);

    public static CharacterSnapshot FromRecord(CharacterRecord r) =>
        new(r.X, r.Y, r.BaseLevel, r.JobLevel, r.BaseExp, r.JobExp, r.Zeny, r.Hp, r.Sp,
            r.Str, r.Agi, r.Vit, r.Int, r.Dex, r.Luk, r.StatusPoint, r.SkillPoint, r.MaxHp, r.MaxSp);

    private static ushort U16(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);
}
