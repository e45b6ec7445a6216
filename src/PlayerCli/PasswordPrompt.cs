using System.Text;

namespace P2PCluster.PlayerCli;

/// <summary>Asks for a password on the terminal without echoing it.</summary>
public static class PasswordPrompt
{
    /// <summary>The typed password, or null when the input ended first (Ctrl+D).</summary>
    public static string? Read(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) return typed.ToString();
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (typed.Length > 0) typed.Length--;
                }
                else if (key.KeyChar == '\u0004' && typed.Length == 0) return null;
                else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
            }
        }
        catch (InvalidOperationException)
        {
            return null; // no console to read keys from after all
        }
        finally
        {
            Console.Error.WriteLine();
        }
    }
}
