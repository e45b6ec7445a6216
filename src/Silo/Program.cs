using P2PCluster.Silo;

return await SiloCommand.Create().Parse(args).InvokeAsync();
