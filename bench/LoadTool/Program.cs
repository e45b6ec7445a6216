using System.CommandLine;
using System.Globalization;
using P2PCluster.LoadTool;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // RESULT lines are parsed by scripts
return await LoadCommand.Create().Parse(args).InvokeAsync();
