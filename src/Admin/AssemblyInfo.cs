using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("P2PCluster.Admin.Tests")]
