using P2PCluster.HostAgent;

return await AgentCommand.Create().Parse(args).InvokeAsync();
