using P2PCluster.Protocol;

namespace P2PCluster.Silo.Tests;

/// <summary>A coordinator key in a temporary PEM file, as an operator would make with openssl.</summary>
public sealed class KeyFile : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-key-");

    public KeyFile()
    {
        Path = System.IO.Path.Combine(_dir.FullName, "coordinator.pem");
        using var identity = KeyFiles.CreatePrivate(Path);
        PublicKey = identity.PublicKey;
    }

    public string Path { get; }
    public byte[] PublicKey { get; }

    public void Dispose() => _dir.Delete(recursive: true);
}
