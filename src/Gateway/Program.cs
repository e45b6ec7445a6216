using P2PCluster.Gateway;

return await GatewayCommand.Create().Parse(args).InvokeAsync();
