namespace P2PCluster.Grains.Accounts;

/// <summary>How logins are checked and tickets issued (the silo fills it from p2p.conf's <c>accounts:</c>).</summary>
public sealed class AccountOptions
{
    /// <summary>rAthena's <c>use_MD5_passwords</c>: <c>login.user_pass</c> holds the MD5 hex digest of the password.</summary>
    public bool UseMd5Passwords { get; set; }

    /// <summary>How long a ticket is valid for (Ticket.MaxLifetime caps it).</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far a host's clock may be from the coordinator's when it claims a ticket.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}
