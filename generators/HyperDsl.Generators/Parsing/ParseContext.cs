using System.Collections.Generic;
using System.Threading;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>The class being parsed, the diagnostics found so far, and whether it is still valid.</summary>
internal sealed class ParseContext
{
    private readonly List<DiagnosticInfo> diagnostics = new();

    public ParseContext(INamedTypeSymbol symbol, TypeDeclarationSyntax? declaration, CancellationToken cancellationToken)
    {
        Symbol = symbol;
        Declaration = declaration;
        CancellationToken = cancellationToken;
        DisplayName = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        Identifier = declaration is null ? null : LocationInfo.From(declaration.Identifier);
    }

    public INamedTypeSymbol Symbol { get; }

    public TypeDeclarationSyntax? Declaration { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The class as messages name it.</summary>
    public string DisplayName { get; }

    /// <summary>The class name's location: where a diagnostic goes that has no better place.</summary>
    public LocationInfo? Identifier { get; }

    /// <summary>False once anything makes the declaration ungeneratable, reported or not.</summary>
    public bool Valid { get; private set; } = true;

    public EquatableArray<DiagnosticInfo> Diagnostics => diagnostics.ToEquatableArray();

    /// <summary>Records an error and marks the declaration invalid.</summary>
    public void Error(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? Identifier, arguments));
        Valid = false;
    }

    /// <summary>Records a warning: the declaration stays valid and is generated.</summary>
    public void Warn(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? Identifier, arguments));

    /// <summary>Marks the declaration invalid without a diagnostic: the compiler already reports the problem.</summary>
    public void Invalid() => Valid = false;
}
