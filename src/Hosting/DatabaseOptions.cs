using System.ComponentModel.DataAnnotations;
using MySqlConnector;

namespace P2PCluster.Hosting;

/// <summary><c>database:</c> the MySQL/MariaDB that holds membership, grain state and reminders. Empty = embedded default.</summary>
[ConfigSection("database")]
public sealed class DatabaseOptions : IValidatableObject
{
    /// <summary>The ADO.NET invariant under which the Orleans providers find MySqlConnector.</summary>
    public const string Invariant = "MySql.Data.MySqlConnector";

    [ConfigKey("connection_string")]
    public string ConnectionString { get; set; } = "";

    public bool IsEmbedded => string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsEmbedded) yield break;
        string? error = null;
        try
        {
            var builder = new MySqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrEmpty(builder.Server)) error = "names no Server";
            else if (string.IsNullOrEmpty(builder.Database)) error = "names no Database";
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            error = "is not a valid MySQL connection string: " + e.Message;
        }
        if (error is not null) yield return new ValidationResult(error, [nameof(ConnectionString)]);
    }

    /// <summary>The connection string with any password masked, for logs and error messages.</summary>
    public string Redacted()
    {
        if (IsEmbedded) return "(embedded)";
        try
        {
            var builder = new MySqlConnectionStringBuilder(ConnectionString);
            if (builder.ContainsKey("Password")) builder.Password = "***";
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unparseable)";
        }
    }
}
