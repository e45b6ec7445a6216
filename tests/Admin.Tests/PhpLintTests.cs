using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

/// <summary><c>php -l</c> on every PHP file of the FluxCP module (contrib/fluxcp) and of these tests' PHP driver.</summary>
public sealed class PhpLintTests
{
    [Fact]
    public async Task EveryFluxCpModuleFilePassesPhpLint()
    {
        await PhpCli.RequireAsync(curl: false);
        string[] roots = [Path.Combine(RepoPaths.Root, "contrib", "fluxcp"), Path.Combine(RepoPaths.Root, "tests", "Admin.Tests", "php")];
        var files = roots.SelectMany(root => Directory.EnumerateFiles(root, "*.php", SearchOption.AllDirectories)).Order().ToList();
        Assert.True(files.Count >= 20, $"expected the module's files, found {files.Count}: {string.Join(", ", files)}");

        var failures = new List<string>();
        foreach (string file in files)
        {
            var lint = await PhpCli.RunAsync(["-l", file]);
            if (lint.ExitCode != 0) failures.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {lint.StandardOutput.Trim()} {lint.StandardError.Trim()}");
        }
        Assert.True(failures.Count == 0, $"php -l failed on {failures.Count} of {files.Count} files:\n" + string.Join("\n", failures));
    }
}
