using System.CommandLine;
using P2PCluster.Gateway;

// The host handles SIGTERM/Ctrl+C itself (graceful leave); System.CommandLine must not kill the process first.
return await GatewayCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
