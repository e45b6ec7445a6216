namespace P2PCluster.Protocol;

/// <summary>One character in LOGIN_OK: what a character-select screen shows, and where the character last was.</summary>
public readonly record struct CharacterEntry(uint CharId, byte Slot, ushort Class, ushort BaseLevel, string Name, string LastMap, ushort X, ushort Y)
{
    public const int MaxNameBytes = 23;
}
