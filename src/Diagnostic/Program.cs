using P2PCluster.Diagnostic;

return await DiagnosticCommand.InvokeAsync(args);
