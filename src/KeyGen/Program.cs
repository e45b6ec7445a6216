using P2PCluster.KeyGen;

return await KeyGenCommand.InvokeAsync(args);
