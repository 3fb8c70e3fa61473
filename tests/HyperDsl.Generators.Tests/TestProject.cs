using System.Linq;
using System.Reflection;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// Folders of this test project and of the repository, recorded by the build as assembly metadata. Source paths
/// (<c>[CallerFilePath]</c>) cannot be used for this: a CI build maps them to <c>/_/...</c>.
/// </summary>
internal static class TestProject
{
    /// <summary>The folder of this project's .csproj.</summary>
    public static string Directory => Metadata("TestProjectDirectory");

    /// <summary>The root folder of the repository.</summary>
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    private static string Metadata(string key)
        => typeof(TestProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
