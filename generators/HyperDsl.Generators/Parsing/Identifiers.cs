using Microsoft.CodeAnalysis.CSharp;

namespace HyperDsl.Generators.Parsing;

/// <summary>Spells names so that generated code compiles whatever the user called things.</summary>
internal static class Identifiers
{
    /// <summary>Prefixes a keyword with <c>@</c>, as in <c>@class</c>.</summary>
    public static string Escape(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
}
