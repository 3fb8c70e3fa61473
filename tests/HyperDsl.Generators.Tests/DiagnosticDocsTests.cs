using System.IO;
using System.Linq;
using HyperDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>Every diagnostic has a section in docs/diagnostics.md, with a wrong and a corrected example, and a help link to it.</summary>
public sealed class DiagnosticDocsTests
{
    [Fact]
    public void Every_diagnostic_is_documented_with_an_example_and_linked()
    {
        string docs = File.ReadAllText(Path.Combine(TestProject.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.ById.Values.OrderBy(d => d.Id))
        {
            int section = docs.IndexOf($"## {descriptor.Id}", System.StringComparison.Ordinal);
            Assert.True(section >= 0, $"{descriptor.Id} has no section in docs/diagnostics.md");
            int next = docs.IndexOf("\n## ", section + 1, System.StringComparison.Ordinal);
            string body = next < 0 ? docs[section..] : docs[section..next];
            Assert.True(body.Contains("```csharp") && body.Contains(descriptor.Id) && body.Contains("fixed"), $"{descriptor.Id}'s section lacks a wrong and a corrected example");
            Assert.EndsWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
        }
    }
}
