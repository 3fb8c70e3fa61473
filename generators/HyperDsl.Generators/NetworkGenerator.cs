using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Emitting;
using HyperDsl.Generators.Model;
using HyperDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace HyperDsl.Generators;

/// <summary>
/// The HyperDsl source generator. Two pipelines of the same shape: classes with <c>[TargetNetwork]</c> or
/// <c>[HyperNetwork]</c> are parsed into value-equatable models, diagnostics and models part ways, and each valid model
/// is emitted as one source file. Invalid declarations produce diagnostics and no code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Register(
            context,
            TargetNetworkParser.TargetNetworkAttributeName,
            TargetNetworkParser.Parse,
            static spec => spec.Declaration.HintName,
            TargetNetworkEmitter.Emit,
            GeneratorStepNames.TargetNetworks,
            GeneratorStepNames.TargetNetworkSpecs,
            GeneratorStepNames.TargetNetworkDiagnostics);

        Register(
            context,
            HyperNetworkParser.HyperNetworkAttributeName,
            HyperNetworkParser.Parse,
            static spec => spec.Declaration.HintName,
            HyperNetworkEmitter.Emit,
            GeneratorStepNames.HyperNetworks,
            GeneratorStepNames.HyperNetworkSpecs,
            GeneratorStepNames.HyperNetworkDiagnostics);
    }

    /// <summary>
    /// One pipeline: the classes carrying <paramref name="attribute"/> are parsed; the valid models are emitted, one
    /// file each; the diagnostics travel on a branch of their own, so that a moved error never regenerates sources.
    /// </summary>
    private static void Register<TSpec>(
        IncrementalGeneratorInitializationContext context,
        string attribute,
        System.Func<GeneratorAttributeSyntaxContext, System.Threading.CancellationToken, ParseResult<TSpec>> parse,
        System.Func<TSpec, string> hintName,
        System.Func<TSpec, string> emit,
        string parseStep,
        string specStep,
        string diagnosticsStep)
        where TSpec : class
    {
        IncrementalValuesProvider<ParseResult<TSpec>> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(attribute, DeclarationParser.IsCandidate, parse)
            .WithTrackingName(parseStep);

        IncrementalValuesProvider<TSpec> specs = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(specStep);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .Where(static list => list.Count > 0)
            .WithTrackingName(diagnosticsStep);

        context.RegisterSourceOutput(specs, (output, spec) => output.AddSource(hintName(spec), emit(spec)));

        // Reporting (only) meets the compilation, to place each diagnostic in its syntax tree: a location in a tree
        // is what #pragma warning disable and the IDE need. The models stay free of trees.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (DiagnosticInfo diagnostic in pair.Left)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
            }
        });
    }
}
