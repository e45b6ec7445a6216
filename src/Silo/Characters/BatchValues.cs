using System.Globalization;
using System.Text;
using MySqlConnector;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// Writes the values of one <see cref="CharacterBatch"/> command into its SQL. Numbers and idempotency keys go in as
/// literals (invariant digits, <c>X'hex'</c>: nothing a caller controls can change the statement); text goes as a
/// parameter, one per distinct value. A batch of 200 writes would otherwise bind about 8,000 parameters, and
/// MySqlConnector's cost of each (a parameter object, a boxed value, a name, an entry in the name index, its
/// substitution) was most of the silo's CPU and garbage per save (docs/benchmarks.md, scenario dbproxy).
/// </summary>
internal sealed class BatchValues(MySqlCommand command, StringBuilder sql)
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    public StringBuilder Sql => sql;

    public BatchValues Number(long value)
    {
        sql.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public BatchValues Number(ulong value)
    {
        sql.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public BatchValues Key(byte[] key)
    {
        sql.Append("X'").Append(Convert.ToHexString(key)).Append('\'');
        return this;
    }

    /// <summary>Text, as a parameter shared by every use of the same value in this command.</summary>
    public BatchValues Text(string value)
    {
        if (!_texts.TryGetValue(value, out string? name))
        {
            name = "@t" + _texts.Count.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, value);
            _texts.Add(value, name);
        }
        sql.Append(name);
        return this;
    }

    public BatchValues Null()
    {
        sql.Append("NULL");
        return this;
    }

    public BatchValues Raw(string text)
    {
        sql.Append(text);
        return this;
    }

    public BatchValues Comma() => Raw(", ");
}
