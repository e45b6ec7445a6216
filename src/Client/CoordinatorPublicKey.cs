using System.Diagnostics.CodeAnalysis;
using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// Reads the coordinator's Ed25519 public key to pin, as a host agent (<c>coordinator.public_key</c>) or a game
/// client (<c>--coordinator-key</c>) is given it: a path to a PEM file, or the key inline (PEM, hex or base64).
/// </summary>
public static class CoordinatorPublicKey
{
    /// <summary>Where an embedded-default silo run from the same folder writes its development key's public half.</summary>
    public const string DefaultPath = "data/coordinator_ed25519.pub.pem";

    /// <summary>
    /// The raw 32-byte key and where it came from (<c>inline key</c> or the file's full path); false with a message
    /// that says what is wrong, for the caller to prefix with the name of its setting.
    /// </summary>
    public static bool TryLoad(string value, [NotNullWhen(true)] out byte[]? key, out string origin, [NotNullWhen(false)] out string? error)
    {
        value = value.Trim();
        (key, origin, error) = (KeyFiles.ParsePublic(value), "inline key", null);
        if (key is not null) return true;
        if (value.Length == 0)
        {
            error = "required: the coordinator's public key (a PEM file, or the key as hex or base64)";
            return false;
        }
        if (value.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            error = "the inline PEM is not an Ed25519 public key";
            return false;
        }

        origin = Path.GetFullPath(value);
        if (!File.Exists(origin))
        {
            error = $"file '{origin}' does not exist. An embedded-default silo run from this folder writes {DefaultPath}; " +
                "for a cluster key: openssl pkey -in coordinator.pem -pubout -out coordinator.pub.pem (or give the key inline as hex or base64)";
            return false;
        }
        string text;
        try
        {
            text = File.ReadAllText(origin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read '{origin}': {e.Message}";
            return false;
        }
        key = KeyFiles.ParsePublic(text);
        if (key is null) error = $"'{origin}' is not an Ed25519 public key (PEM -----BEGIN PUBLIC KEY-----, 64 hex digits or base64)";
        return key is not null;
    }
}
