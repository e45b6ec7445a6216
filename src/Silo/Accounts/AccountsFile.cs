using P2PCluster.Grains;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace P2PCluster.Silo.Accounts;

/// <summary>
/// The development accounts file (<c>accounts.dev_file</c>, YAML): accounts with rAthena's columns and their
/// characters, for the embedded default and the demo. Every problem is reported with the file and the entry.
/// </summary>
public static class AccountsFile
{
    public static InMemoryAccountStore Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigurationException([$"accounts.dev_file = {path}: file not found (copy conf/p2p/dev_accounts.yaml, or set accounts.source: database)"]);
        AccountsDocument document;
        try
        {
            document = Parse(path);
        }
        catch (YamlException e)
        {
            throw new ConfigurationException([$"accounts.dev_file = {path}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}"]);
        }

        var store = new InMemoryAccountStore();
        var errors = new List<string>();
        int index = 0;
        foreach (var account in document.Accounts ?? [])
        {
            string where = $"accounts.dev_file = {path}: accounts[{index++}]";
            string? problem = account switch
            {
                { AccountId: < 1 } => "account_id must be positive",
                { Userid: null or { Length: < 4 or > AuthGrain.MaxUserIdLength } } => $"userid must be 4–{AuthGrain.MaxUserIdLength} characters",
                { UserPass: null or { Length: < 1 or > AuthGrain.MaxPasswordLength } } => $"user_pass must be 1–{AuthGrain.MaxPasswordLength} characters",
                { Sex: not ("M" or "F") } => "sex must be M or F",
                _ => null,
            };
            if (problem is null)
            {
                try
                {
                    store.Add(new AccountRecord(account.AccountId, account.Userid!, account.UserPass!, account.Sex![0], account.State));
                }
                catch (ArgumentException e)
                {
                    problem = e.Message;
                }
            }
            if (problem is not null)
            {
                errors.Add($"{where}: {problem}");
                continue;
            }
            int slot = 0;
            foreach (var character in account.Characters ?? [])
            {
                string at = $"{where}.characters[{slot}]";
                string? bad = character switch
                {
                    { CharId: < 1 } => "char_id must be positive",
                    { Name: null or { Length: < 1 or > 23 } } => "name must be 1–23 characters",
                    { LastMap: var m } when !Names.IsValidMapName(m) => "last_map must be 1–11 characters of [A-Za-z0-9_@.-]",
                    { LastX: < 0 or > 1023 } or { LastY: < 0 or > 1023 } => "last_x and last_y must be 0–1023",
                    { BaseLevel: < 1 } => "base_level must be positive",
                    _ => null,
                };
                if (bad is null)
                {
                    try
                    {
                        store.Add(new CharacterSummary(character.CharId, account.AccountId, character.CharNum ?? slot, character.Name!, character.Class,
                            character.BaseLevel, character.LastMap!, character.LastX, character.LastY));
                    }
                    catch (ArgumentException e)
                    {
                        bad = e.Message;
                    }
                }
                if (bad is not null) errors.Add($"{at}: {bad}");
                slot++;
            }
        }
        if (errors.Count > 0) throw new ConfigurationException(errors);
        return store;
    }

    /// <summary>The user ids and stored passwords of the file's accounts (for the demo's players: the file holds plain passwords).</summary>
    public static IReadOnlyList<(string UserId, string Password)> Credentials(string path) =>
        [.. (Parse(path).Accounts ?? []).Where(a => a.Userid is not null && a.UserPass is not null).Select(a => (a.Userid!, a.UserPass!))];

    private static AccountsDocument Parse(string path) =>
        new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<AccountsDocument>(File.ReadAllText(path)) ?? new AccountsDocument();

    private sealed class AccountsDocument
    {
        public List<AccountEntry>? Accounts { get; set; }
    }

    private sealed class AccountEntry
    {
        public int AccountId { get; set; }
        public string? Userid { get; set; }
        public string? UserPass { get; set; }
        public string? Sex { get; set; } = "M";
        public int State { get; set; }
        public List<CharacterEntry>? Characters { get; set; }
    }

    private sealed class CharacterEntry
    {
        public int CharId { get; set; }
        public int? CharNum { get; set; }
        public string? Name { get; set; }
        public int Class { get; set; }
        public int BaseLevel { get; set; } = 1;
        public string? LastMap { get; set; } = "prontera";
        public int LastX { get; set; } = 156;
        public int LastY { get; set; } = 191;
    }
}
