using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>A configured admin API key: its name (as in the audit), role and SHA-256 (32 bytes).</summary>
public sealed record AdminKey(string Name, AdminRole Role, byte[] Hash)
{
    public bool CanOperate => Role == AdminRole.Operate;
}
