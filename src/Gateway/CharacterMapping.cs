using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Characters between the wire (CLAIM_RESULT, MOVE_PLAYER, the database proxy's packets) and the grains: the gateway's one mapping.</summary>
public static class CharacterMapping
{
    public static CharacterState ToWire(CharacterSnapshot? c) => c is null ? default
        : new CharacterState((ushort)c.X, (ushort)c.Y, (ushort)c.BaseLevel, (ushort)c.JobLevel, c.BaseExp, c.JobExp, c.Zeny, c.Hp, c.Sp);

    public static CharacterSnapshot FromWire(CharacterState c) =>
        new(c.X, c.Y, c.BaseLevel, c.JobLevel, c.BaseExp, c.JobExp, c.Zeny, c.Hp, c.Sp);

    public static CharacterData FromWire(string map, CharacterRecord r) =>
        new(map, r.X, r.Y, r.BaseLevel, r.JobLevel, r.BaseExp, r.JobExp, r.Zeny, r.Str, r.Agi, r.Vit, r.Int, r.Dex, r.Luk,
            r.StatusPoint, r.SkillPoint, r.Hp, r.MaxHp, r.Sp, r.MaxSp);

    public static CharacterRecord ToWire(CharacterData d) =>
        new((ushort)Math.Clamp(d.X, 0, ushort.MaxValue), (ushort)Math.Clamp(d.Y, 0, ushort.MaxValue),
            (ushort)Math.Clamp(d.BaseLevel, 0, ushort.MaxValue), (ushort)Math.Clamp(d.JobLevel, 0, ushort.MaxValue),
            d.BaseExp, d.JobExp, d.Zeny, Stat(d.Str), Stat(d.Agi), Stat(d.Vit), Stat(d.Int), Stat(d.Dex), Stat(d.Luk),
            d.StatusPoint, d.SkillPoint, d.Hp, d.MaxHp, d.Sp, d.MaxSp);

    private static ushort Stat(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);
}
