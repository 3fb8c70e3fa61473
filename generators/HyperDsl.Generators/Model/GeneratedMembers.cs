namespace HyperDsl.Generators.Model;

/// <summary>
/// The names of every member that generated code puts on a network class, or that a hypernetwork inherits from its
/// generated base class: the emitters write these names, and a class named like one of them is refused (HD0023), since
/// C# forbids a member named like its class.
/// </summary>
internal static class GeneratedMembers
{
    public const string InputSize = nameof(InputSize);
    public const string OutputSize = nameof(OutputSize);
    public const string ParameterCount = nameof(ParameterCount);
    public const string Layout = nameof(Layout);
    public const string Layers = nameof(Layers);
    public const string Summary = nameof(Summary);
    public const string WorkspaceSize = nameof(WorkspaceSize);
    public const string Forward = nameof(Forward);
    public const string Backward = nameof(Backward);

    public const string TargetParameterCount = nameof(TargetParameterCount);
    public const string Tasks = nameof(Tasks);
    public const string EmbeddingSize = nameof(EmbeddingSize);
    public const string ConditionSize = nameof(ConditionSize);
    public const string ChunkSize = nameof(ChunkSize);
    public const string ChunkCount = nameof(ChunkCount);
    public const string GeneratedDescription = nameof(GeneratedDescription);
    public const string Generate = nameof(Generate);
    public const string Predict = nameof(Predict);

    /// <summary>Members of a target network's generated part.</summary>
    public static readonly string[] OfTargetNetwork =
    {
        InputSize, OutputSize, ParameterCount, Layout, Layers, Summary, WorkspaceSize, Forward, Backward,
    };

    /// <summary>
    /// Public and protected members of the runtime's <c>HyperNetworkModel&lt;TTarget&gt;</c>, which every hypernetwork
    /// derives from (a test checks this list against the runtime).
    /// </summary>
    public static readonly string[] OfHyperNetworkBase =
    {
        "Parameters", "Gradients", "TaskEmbeddings", "MaxTasks", "MaxSamplesPerTask", "Threads", "Initialize",
        "ComputeGradients", "GenerateFromEmbedding", "ComputeEmbeddingGradient", "ComputeConditionGradient", "Predict", "GenerateCore",
        "AddAnchorPenaltyGradients", "MaxSupportPerTask", "EncodingSize", "GenerateFromSupport", "PredictFromSupport", "PredictCore",
    };

    /// <summary>Members of a hypernetwork: its generated part and its base class's.</summary>
    public static readonly string[] OfHyperNetwork = Concat(
        new[] { ParameterCount, TargetParameterCount, Tasks, EmbeddingSize, ConditionSize, ChunkSize, ChunkCount, Layout, Summary, GeneratedDescription, Generate },
        OfHyperNetworkBase);

    private static string[] Concat(string[] first, string[] second)
    {
        var all = new string[first.Length + second.Length];
        first.CopyTo(all, 0);
        second.CopyTo(all, first.Length);
        return all;
    }
}
