using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>Where player accounts come from.</summary>
public enum AccountSource
{
    /// <summary>rAthena's tables when <c>database.connection_string</c> is set, else the development file.</summary>
    Auto,
    /// <summary>rAthena's <c>login</c> and <c>char</c> tables in the coordinator's database.</summary>
    Database,
    /// <summary>The development accounts file (<c>accounts.dev_file</c>).</summary>
    File,
}

/// <summary><c>accounts:</c> player logins and tickets (docs/operations.md, "Players").</summary>
[ConfigSection("accounts")]
public sealed class AccountsSettings : IValidatableObject
{
    [ConfigKey("source")]
    public AccountSource Source { get; set; } = AccountSource.Auto;

    /// <summary>Development accounts and characters (YAML), for the embedded default and demos.</summary>
    [ConfigKey("dev_file")]
    public string DevFile { get; set; } = "conf/p2p/dev_accounts.yaml";

    /// <summary>rAthena's <c>use_MD5_passwords</c>: <c>login.user_pass</c> holds MD5 hex digests.</summary>
    [ConfigKey("use_md5_passwords")]
    public bool UseMd5Passwords { get; set; }

    [ConfigKey("ticket_lifetime_ms"), Range(5_000, 300_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int TicketLifetimeMs { get; set; } = 60_000;

    /// <summary>Failed logins one connection may make before the gateway closes it.</summary>
    [ConfigKey("max_login_failures"), Range(1, 100, ErrorMessage = "must be between {1} and {2}")]
    public int MaxLoginFailures { get; set; } = 3;

    public AccountSource Effective(DatabaseOptions database) =>
        Source != AccountSource.Auto ? Source : database.IsEmbedded ? AccountSource.File : AccountSource.Database;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Source == AccountSource.File && string.IsNullOrWhiteSpace(DevFile))
            yield return new ValidationResult("must name a file when accounts.source is file", [nameof(DevFile)]);
    }
}
