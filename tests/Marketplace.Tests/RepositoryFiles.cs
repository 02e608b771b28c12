namespace Marketplace.Tests;

/// <summary>Files of the repository the tests run from (deployment files that tests hold to what the code says).</summary>
public static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relative"/> (a path from the repository root), found above the test binaries.</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, relative);
            if (File.Exists(file)) return file;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
