using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.PackageTests;

/// <summary>
/// The package as a new user gets it: packed into a temporary feed, added with <c>dotnet add package</c> to a project
/// made by <c>dotnet new console</c> in a temporary folder (nothing in it refers to this repository), built with
/// warnings as errors, and run.
/// </summary>
public sealed class PackageTests(ITestOutputHelper log) : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("hyperdsl-package-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public void A_new_console_project_builds_and_runs_against_the_package_alone()
    {
        // A version of its own, so that no package cache can serve an older build.
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        string feed = Path.Combine(work.FullName, "feed");
        string consumer = Path.Combine(work.FullName, "Consumer");
        string project = Path.Combine(Metadata("RepositoryRoot"), "src", "HyperDsl", "HyperDsl.csproj");

        Dotnet(work.FullName, "pack", project, "-c", Metadata("Configuration"), "--no-build", "-o", feed, $"-p:PackageVersion={version}");
        string package = Path.Combine(feed, $"HyperDsl.{version}.nupkg");
        CheckPackage(package, version);

        Dotnet(work.FullName, "new", "console", "--framework", "net10.0", "--name", "Consumer", "--output", consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(feed));
        Dotnet(consumer, "add", "package", "HyperDsl", "--version", version);
        foreach (string file in new[] { "Program.cs", "Networks.cs" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", file), Path.Combine(consumer, file), overwrite: true);
        }

        string csprojPath = Path.Combine(consumer, "Consumer.csproj");
        string csproj = File.ReadAllText(csprojPath);
        Assert.Contains($"<PackageReference Include=\"HyperDsl\" Version=\"{version}\" />", csproj);
        Assert.DoesNotContain("ProjectReference", csproj);

        // Both of the package's frameworks: .NET 8 (C# 12) is built, .NET 10 is built and run.
        File.WriteAllText(csprojPath, csproj.Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", StringComparison.Ordinal));
        Dotnet(consumer, "build", "-c", "Release", "-warnaserror", "-p:Nullable=enable", "-p:WarningLevel=9999");
        Assert.True(File.Exists(Path.Combine(consumer, "bin", "Release", "net8.0", "Consumer.dll")), "the net8.0 build is missing");
        string output = Dotnet(consumer, "run", "-c", "Release", "--no-build", "--framework", "net10.0");
        log.WriteLine(output);

        Assert.Contains("LineNet parameters: 49\n", output);
        Assert.Contains("LineHyper (hypernetwork): generates the 49 parameters of Consumer.LineNet (1 -> 1)\n", output);
        Assert.Contains("Head             16 -> 49  Identity    833         [56, 889)\n", output);
        Assert.Contains("checkpoint step 500, same weights after reload: True\n", output);
        string prediction = output.Split('\n').Single(line => line.StartsWith("task 3 at x = 0.5: ", StringComparison.Ordinal));
        float value = float.Parse(prediction["task 3 at x = 0.5: ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(value, 0.4f, 0.6f);
    }

    /// <summary>The files a user's build needs, and the metadata nuget.org shows, are in the package.</summary>
    private static void CheckPackage(string package, string version)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        string[] files = archive.Entries.Select(entry => entry.FullName).Where(name => !IsPackagingPart(name)).OrderBy(name => name, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                "HyperDsl.nuspec",
                "README.md",
                "analyzers/dotnet/cs/HyperDsl.Generators.dll",
                "lib/net10.0/HyperDsl.dll",
                "lib/net10.0/HyperDsl.xml",
                "lib/net8.0/HyperDsl.dll",
                "lib/net8.0/HyperDsl.xml",
            },
            files);

        using Stream nuspec = archive.GetEntry("HyperDsl.nuspec")!.Open();
        XElement metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("hypernetwork", Field("tags"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.StartsWith("https://", repository.Attribute("url")!.Value, StringComparison.Ordinal);
        string[] dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Distinct().ToArray();
        Assert.Equal(new[] { "System.Numerics.Tensors" }, dependencies);
    }

    private static bool IsPackagingPart(string name)
        => name.StartsWith("_rels/", StringComparison.Ordinal) || name.StartsWith("package/", StringComparison.Ordinal) || name == "[Content_Types].xml";

    /// <summary>The temporary feed for HyperDsl only; everything else from nuget.org, read first from the machine's package cache.</summary>
    private static string NuGetConfig(string feed)
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="HyperDsl" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <add key="machine" value="{cache}" />
              </fallbackPackageFolders>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
            </configuration>
            """;
    }

    private static string Metadata(string key)
        => typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Runs the dotnet CLI and returns its output; fails with the whole output when it fails.</summary>
    private static string Dotnet(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings belong to the repository's build, not to a user's.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish in 10 minutes:\n{output}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        return output.ToString();
    }
}
