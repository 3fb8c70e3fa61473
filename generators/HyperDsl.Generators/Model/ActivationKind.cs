namespace HyperDsl.Generators.Model;

/// <summary>
/// The generator's copy of <c>HyperDsl.Activation</c> (the generator cannot reference the runtime); the values
/// must match, which a test checks.
/// </summary>
internal enum ActivationKind
{
    Identity = 0,
    Relu = 1,
    LeakyRelu = 2,
    Tanh = 3,
    Sigmoid = 4,
    Gelu = 5,
    Silu = 6,
    Softplus = 7,
    Elu = 8,
}

/// <summary>What each activation needs from the forward pass to compute its derivative.</summary>
internal static class ActivationKindExtensions
{
    public const int Count = 9;

    /// <summary>True where the kernel applies the activation as it stores (a max), with no separate pass.</summary>
    public static bool IsFusedIntoKernel(this ActivationKind activation)
        => activation is ActivationKind.Identity or ActivationKind.Relu or ActivationKind.LeakyRelu;

    /// <summary>True where f′ is computed from z rather than from f(z), so the forward pass keeps z.</summary>
    public static bool DerivativeNeedsPreActivation(this ActivationKind activation)
        => activation is ActivationKind.Gelu or ActivationKind.Silu or ActivationKind.Softplus;
}
