using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Diagnostics;

/// <summary>A location as plain values, so that it can travel through the incremental pipeline and compare equal.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    public static LocationInfo? From(Location? location)
        => location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    /// <summary>The location in the compilation's tree of that path, or, where there is none, in the file by path.</summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath && Span.End <= tree.Length)
            {
                return Location.Create(tree, Span);
            }
        }

        return Location.Create(FilePath, Span, LineSpan);
    }
}

/// <summary>A diagnostic to report: the descriptor's ID, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        var texts = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            texts[i] = System.Convert.ToString(arguments[i], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return new DiagnosticInfo(descriptor.Id, location, texts.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        object[] arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(DiagnosticDescriptors.ById[Id], Location?.ToLocation(compilation), arguments);
    }
}
