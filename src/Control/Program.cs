using P2PCluster.Control;

return await ControlCommand.InvokeAsync(args);
