namespace P2PCluster.Admin.Auth;

/// <summary>The authenticated key of the current request, kept in <c>HttpContext.Items</c> by <see cref="AdminAuthFilter"/>.</summary>
public static class AdminCaller
{
    private static readonly object ItemKey = new();

    public static void Set(Microsoft.AspNetCore.Http.HttpContext context, AdminKey key) => context.Items[ItemKey] = key;

    public static AdminKey? Get(Microsoft.AspNetCore.Http.HttpContext context) => context.Items[ItemKey] as AdminKey;
}
