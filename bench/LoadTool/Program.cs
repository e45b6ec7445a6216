using System.CommandLine;
using P2PCluster.LoadTool;

return await LoadCommand.Create().Parse(args).InvokeAsync();
