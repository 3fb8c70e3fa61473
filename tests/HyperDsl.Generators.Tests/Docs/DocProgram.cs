using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Sdk;

namespace HyperDsl.Generators.Tests.Docs;

/// <summary>
/// Documentation blocks put together as a user would: in a new console project (its implicit usings, C# 12, the
/// HyperDsl package), compiled with the generator, and run.
/// </summary>
public static class DocProgram
{
    /// <summary>What <c>dotnet new console</c> projects import implicitly.</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>
    /// Compiles <paramref name="statements"/> (blocks and setup with top-level statements, in order: their usings
    /// hoisted, their statements one after the other, their types after) with <paramref name="declarations"/> (one
    /// file each) into a console program; fails with every error and warning, each traced to its block.
    /// </summary>
    public static Assembly Compile(string what, IReadOnlyList<(string Origin, string Code)> statements, IReadOnlyList<DocBlock> declarations)
    {
        var trees = new List<SyntaxTree> { Parse(ImplicitUsings, "ImplicitUsings.cs") };
        trees.AddRange(declarations.Select(block => Parse(block.Code, block.ToString())));
        trees.Add(Parse(Assemble(statements), $"{what} (program)"));
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(what.Replace(':', '_').Replace('/', '_'))
            .AddSyntaxTrees(trees)
            .WithOptions(GeneratorHarness.CreateCompilation("x").Options.WithOutputKind(OutputKind.ConsoleApplication));
        var (result, output) = GeneratorHarness.Run(compilation);
        var problems = result.Diagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        if (problems.Count > 0)
        {
            throw new XunitException($"{what} does not compile cleanly as written:\n{string.Join("\n", problems)}\n--- program:\n{Assemble(statements)}");
        }

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        if (!emitted.Success)
        {
            throw new XunitException($"{what}: {string.Join("\n", emitted.Diagnostics)}");
        }

        return Assembly.Load(image.ToArray());
    }

    /// <summary>Runs a compiled program's entry point in a folder of its own; returns what it wrote to the console.</summary>
    public static string Run(string what, Assembly program)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"hyperdsl-docs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string previousFolder = Environment.CurrentDirectory;
        TextWriter previousOut = Console.Out;
        var console = new StringWriter();
        try
        {
            Environment.CurrentDirectory = folder;
            Console.SetOut(console);
            MethodInfo entry = program.EntryPoint ?? throw new XunitException($"{what} has no entry point.");
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
        }
        catch (TargetInvocationException exception)
        {
            throw new XunitException($"{what} throws as written: {exception.InnerException}\n--- it printed:\n{console}");
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousFolder;
            Directory.Delete(folder, recursive: true);
        }

        return console.ToString();
    }

    /// <summary>The blocks as one file of top-level statements: usings first, then statements in order, then types.</summary>
    private static string Assemble(IReadOnlyList<(string Origin, string Code)> parts)
    {
        var usings = new List<string>();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        foreach ((string origin, string code) in parts)
        {
            var unit = (CompilationUnitSyntax)Parse(code, origin).GetRoot();
            foreach (UsingDirectiveSyntax directive in unit.Usings)
            {
                string text = directive.ToString().Trim();
                if (!usings.Contains(text))
                {
                    usings.Add(text);
                }
            }

            statements.AppendLine($"// {origin}");
            foreach (MemberDeclarationSyntax member in unit.Members)
            {
                (member is GlobalStatementSyntax ? statements : types).AppendLine(member.ToFullString().TrimEnd());
            }
        }

        return string.Join("\n", usings) + "\n" + statements + types;
    }

    private static SyntaxTree Parse(string code, string path) => CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions, path: path);
}
