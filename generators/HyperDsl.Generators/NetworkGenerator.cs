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
        IncrementalValuesProvider<ParseResult<NetworkSpec>> targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TargetNetworkParser.TargetNetworkAttributeName,
                DeclarationParser.IsCandidate,
                TargetNetworkParser.Parse)
            .WithTrackingName(GeneratorStepNames.TargetNetworks);

        IncrementalValuesProvider<NetworkSpec> specs = targets
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(GeneratorStepNames.TargetNetworkSpecs);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = targets
            .Select(static (result, _) => result.Diagnostics)
            .Where(static list => list.Count > 0)
            .WithTrackingName(GeneratorStepNames.TargetNetworkDiagnostics);

        IncrementalValuesProvider<ParseResult<HyperNetworkSpec>> hypernetworks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                HyperNetworkParser.HyperNetworkAttributeName,
                DeclarationParser.IsCandidate,
                HyperNetworkParser.Parse)
            .WithTrackingName(GeneratorStepNames.HyperNetworks);

        IncrementalValuesProvider<HyperNetworkSpec> hyperSpecs = hypernetworks
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(GeneratorStepNames.HyperNetworkSpecs);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> hyperDiagnostics = hypernetworks
            .Select(static (result, _) => result.Diagnostics)
            .Where(static list => list.Count > 0)
            .WithTrackingName(GeneratorStepNames.HyperNetworkDiagnostics);

        context.RegisterSourceOutput(hyperSpecs, static (output, spec) =>
            output.AddSource(spec.Declaration.HintName, HyperNetworkEmitter.Emit(spec)));

        context.RegisterSourceOutput(hyperDiagnostics, static (output, list) => Report(output, list));

        context.RegisterSourceOutput(specs, static (output, spec) =>
            output.AddSource(spec.Declaration.HintName, TargetNetworkEmitter.Emit(spec)));

        context.RegisterSourceOutput(diagnostics, static (output, list) => Report(output, list));
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
