using Microsoft.AspNetCore.Http;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin;

/// <summary>The one place an exception becomes an answer: a problem with a status and code, never a stack trace.</summary>
public static class AdminErrors
{
    /// <summary>
    /// Fields a cluster error's message may start with ("to: host x is not known"), and the API field each is: the map
    /// is the route's {name}.
    /// </summary>
    private static readonly Dictionary<string, string> KnownFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["to"] = "to", ["critical"] = "critical", ["p2pAllowed"] = "p2pAllowed", ["minScore"] = "minScore", ["maxPlayers"] = "maxPlayers",
        ["hostId"] = "hostId", ["name"] = "name", ["map"] = "name", ["charId"] = "charId", ["accountId"] = "accountId",
    };

    public static AdminProblem ToProblem(Exception exception)
    {
        if (exception is BadHttpRequestException bad)
            return AdminProblem.BadRequest("body", bad.Message);
        if (exception is AdminServiceMissingException missing)
            return AdminProblem.Unavailable("AdminUnavailable", missing.Message);
        if (ClusterException.Find(exception) is { } cluster)
        {
            string code = cluster.Code.ToString();
            return cluster.Code switch
            {
                ClusterError.NotFound => new AdminProblem(AdminProblem.TypeOf(code), "Not found", StatusCodes.Status404NotFound, cluster.Message, FieldOf(cluster.Message), code),
                ClusterError.InvalidArgument => new AdminProblem(AdminProblem.TypeOf(code), "Bad request", StatusCodes.Status400BadRequest, cluster.Message, FieldOf(cluster.Message), code),
                ClusterError.PolicyViolation or ClusterError.InvalidTransition or ClusterError.HostBanned or ClusterError.HostNotApproved
                    or ClusterError.StaleEpoch or ClusterError.MapUnavailable or ClusterError.HostDeclaredDead =>
                    new AdminProblem(AdminProblem.TypeOf(code), "Conflict", StatusCodes.Status409Conflict, cluster.Message, FieldOf(cluster.Message), code),
                _ => AdminProblem.Unavailable(code, cluster.Message),
            };
        }
        if (exception is TimeoutException or OperationCanceledException)
            return AdminProblem.Unavailable("Timeout", "the cluster did not answer in time; retry");
        return AdminProblem.Unavailable("Unavailable", $"the cluster could not answer ({exception.GetType().Name}); retry, and see the silo's log");
    }

    private static string? FieldOf(string message)
    {
        int colon = message.IndexOf(':');
        if (colon <= 0) return null;
        string head = message[..colon].Trim();
        return KnownFields.GetValueOrDefault(head);
    }
}
