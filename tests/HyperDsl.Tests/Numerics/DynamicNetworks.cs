using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using HyperDsl.Testing;
using HyperDsl.Tests.Reference;
using Microsoft.CodeAnalysis;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Compiles a network declaration at run time, with the generator, into an assembly loaded in this process — so that
/// property tests can try architectures nobody wrote down. Each architecture is compiled once.
/// </summary>
public static class DynamicNetworks
{
    private static readonly ConcurrentDictionary<string, Lazy<CompiledNetwork>> Cache = new();

    public static CompiledNetwork Compile(ReferenceNetwork reference)
        => Cache.GetOrAdd(reference.ToString(), _ => new Lazy<CompiledNetwork>(() => Build(reference))).Value;

    /// <summary>The C# declaration of <paramref name="reference"/>'s architecture.</summary>
    public static string Declaration(ReferenceNetwork reference, string name = "Net")
    {
        var source = new StringBuilder();
        source.AppendLine("using HyperDsl;");
        source.AppendLine("namespace Dynamic;");
        source.AppendLine($"[TargetNetwork(inputs: {reference.InputSize})]");
        foreach (ReferenceLayer layer in reference.Layers)
        {
            source.AppendLine($"[Dense({layer.Units}, Activation.{layer.Activation})]");
        }

        source.AppendLine($"public partial class {name};");
        return source.ToString();
    }

    private static CompiledNetwork Build(ReferenceNetwork reference)
    {
        string assemblyName = "Dynamic" + Guid.NewGuid().ToString("N");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(assemblyName, Declaration(reference)));
        // A random architecture may end with Relu: the HD0020 warning says so, and is not a problem here.
        var problems = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).Concat(GeneratorHarness.Problems(output)).ToList();
        if (problems.Count > 0 || result.GeneratedTrees.Length != 1)
        {
            throw new InvalidOperationException($"{reference}: the generated code does not compile cleanly:\n{string.Join("\n", problems)}");
        }

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException($"{reference}: emit failed:\n{string.Join("\n", emitted.Diagnostics)}");
        }

        image.Position = 0;
        Assembly assembly = AssemblyLoadContext.Default.LoadFromStream(image);
        return CompiledNetwork.From(assembly.GetType("Dynamic.Net", throwOnError: true)!);
    }
}
