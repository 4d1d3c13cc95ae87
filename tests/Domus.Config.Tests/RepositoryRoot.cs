namespace Domus.Config.Tests;

/// <summary>The checkout the tests run from, found by walking up to Domus.slnx.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Domus.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests do not run inside a Domus checkout");
    }
}
