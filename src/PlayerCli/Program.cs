using P2PCluster.PlayerCli;

return await ClientCommand.InvokeAsync(args);
