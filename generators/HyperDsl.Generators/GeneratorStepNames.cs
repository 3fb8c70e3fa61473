namespace HyperDsl.Generators;

/// <summary>The tracking names of the pipeline's steps, so that tests can assert what was cached.</summary>
internal static class GeneratorStepNames
{
    public const string TargetNetworks = nameof(TargetNetworks);
    public const string TargetNetworkSpecs = nameof(TargetNetworkSpecs);
    public const string TargetNetworkDiagnostics = nameof(TargetNetworkDiagnostics);
    public const string HyperNetworks = nameof(HyperNetworks);
    public const string HyperNetworkSpecs = nameof(HyperNetworkSpecs);
    public const string HyperNetworkDiagnostics = nameof(HyperNetworkDiagnostics);
}
