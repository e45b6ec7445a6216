using System.CommandLine;
using System.Globalization;

namespace P2PCluster.Cli;

/// <summary>Integer options with a range check that reports a bad value naming the option, never throwing.</summary>
public static class NumberOptions
{
    /// <summary>Adds a validator: a number for which <paramref name="valid"/> is false is the parse error <paramref name="error"/>.</summary>
    public static Option<int> Validated(Option<int> option, Func<int, bool> valid, string error)
    {
        // Only a value that is a number: reading one that is not throws, and the parser already reports it naming the option.
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && !valid(value))
                r.AddError(error);
        });
        return option;
    }
}
