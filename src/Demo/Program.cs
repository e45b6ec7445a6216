using System.CommandLine;
using P2PCluster.Demo;
using P2PCluster.Silo;

// The silo's command line (p2p.conf, --config), with the demo's agents and players added to its host.
return await SiloCommand.Create(DemoSetup.Program, DemoSetup.Description, DemoSetup.Add)
    .Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
