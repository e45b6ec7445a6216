using System.CommandLine;
using P2PCluster.HostAgent;

// The host handles SIGTERM/Ctrl+C itself (graceful leave); System.CommandLine must not kill the process first.
return await AgentCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
