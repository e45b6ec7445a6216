namespace P2PCluster.Control;

/// <summary>The admin API's problem+json answer (docs/admin-api.md, "Errors"), as far as p2p-control reads it.</summary>
public sealed record ApiProblem(int Status, string Title, string Detail, string? Field, string? Code)
{
    public override string ToString() =>
        $"{Status} {Title}{(Code is null ? "" : $" ({Code})")}: {Detail}{(Field is null ? "" : $" [field {Field}]")}";
}
