using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Emitting;
using HyperDsl.Generators.Model;
using HyperDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace HyperDsl.Generators;

/// <summary>
/// The HyperDsl source generator. One pipeline: classes with <c>[TargetNetwork]</c> are parsed into value-equatable
/// models (<see cref="TargetNetworkParser"/>), diagnostics and models part ways, and each valid model is emitted as one
/// source file (<see cref="TargetNetworkEmitter"/>). Invalid declarations produce diagnostics and no code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TargetNetworkParser.TargetNetworkAttributeName,
                TargetNetworkParser.IsCandidate,
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

        context.RegisterSourceOutput(specs, static (output, spec) =>
            output.AddSource(spec.HintName, TargetNetworkEmitter.Emit(spec)));

        context.RegisterSourceOutput(diagnostics, static (output, list) =>
        {
            foreach (DiagnosticInfo diagnostic in list)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }
}
