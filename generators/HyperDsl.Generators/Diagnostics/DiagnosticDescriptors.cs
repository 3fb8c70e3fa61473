using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HyperDsl.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports, in one table. IDs are never reused.</summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "HyperDsl";

    private const string HelpBase = "https://github.com/HyperDsl/HyperDsl/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NetworkNotPartial = Error(
        "HD0001",
        "Network class must be partial",
        "The network class '{0}' must be declared partial, so that the generated members can be added to it");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "HD0002",
        "Type containing a network must be partial",
        "The network class '{0}' is nested in '{1}', which must be declared partial too");

    public static readonly DiagnosticDescriptor NetworkIsGeneric = Error(
        "HD0003",
        "Network class must not be generic",
        "The network class '{0}' must not be generic: its sizes and layout are fixed at compile time");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "HD0004",
        "Target network has no layers",
        "The target network '{0}' declares no layers; add at least one [Dense(units)] attribute");

    public static readonly DiagnosticDescriptor InputsNotPositive = Error(
        "HD0005",
        "Input size must be positive",
        "The target network '{0}' declares {1} inputs; a network needs at least 1 input");

    public static readonly DiagnosticDescriptor UnitsNotPositive = Error(
        "HD0006",
        "Layer size must be positive",
        "Layer {0} of '{1}' declares {2} {3}; a layer needs at least 1");

    public static readonly DiagnosticDescriptor ActivationUndefined = Error(
        "HD0007",
        "Activation is not defined",
        "Layer {0} of '{1}' uses the activation value {2}, which is not a member of HyperDsl.Activation");

    public static readonly DiagnosticDescriptor LayerNameInvalid = Error(
        "HD0008",
        "Layer name is not a valid identifier",
        "The layer name '{0}' of '{1}' is not a valid C# identifier; the name is used for the generated Layout constants");

    public static readonly DiagnosticDescriptor LayerNameDuplicate = Error(
        "HD0009",
        "Layer name is used twice",
        "The layer name '{0}' is used by more than one layer of '{1}'; layer names must be unique");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
        "HD0010",
        "Layers are split across partial declarations",
        "The layers of '{0}' are declared on more than one partial declaration; declare them on one, so that their order is defined");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        "HD0011",
        "Network is too large",
        "The network '{0}' is too large: its {1} does not fit in a 32-bit integer");

    public static readonly DiagnosticDescriptor NetworkIsStatic = Error(
        "HD0012",
        "Network class must not be static",
        "The network class '{0}' must not be static: a target network implements HyperDsl.ITargetNetwork so that it can be a type argument, and a hypernetwork is instantiated");

    public static readonly DiagnosticDescriptor TargetAndHyperNetwork = Error(
        "HD0013",
        "A class is either a target network or a hypernetwork",
        "'{0}' carries both [TargetNetwork] and [HyperNetwork]; declare the target network and the hypernetwork as two classes");

    public static readonly DiagnosticDescriptor HyperTargetInvalid = Error(
        "HD0014",
        "Hypernetwork target is not a target network",
        "The hypernetwork '{0}' generates the weights of '{1}', which is not a class with [TargetNetwork]");

    public static readonly DiagnosticDescriptor NoConditioning = Error(
        "HD0015",
        "Hypernetwork has no task conditioning",
        "The hypernetwork '{0}' has no conditioning: set Tasks and EmbeddingSize for a learned embedding per task, ConditionSize for a condition vector per task, Encoder for a task encoder over each task's support set, or several of them");

    public static readonly DiagnosticDescriptor EmbeddingSettingsIncomplete = Error(
        "HD0016",
        "Tasks and EmbeddingSize go together",
        "The hypernetwork '{0}' sets {1} but not {2}; a learned task embedding needs both Tasks and EmbeddingSize");

    public static readonly DiagnosticDescriptor ChunkSettingsIncomplete = Error(
        "HD0017",
        "ChunkSize and ChunkEmbeddingSize go together",
        "The hypernetwork '{0}' sets {1} but not {2}; a chunked hypernetwork needs both ChunkSize and ChunkEmbeddingSize");

    public static readonly DiagnosticDescriptor HyperSizeNegative = Error(
        "HD0018",
        "Hypernetwork size is negative",
        "The hypernetwork '{0}' sets {1} = {2}; sizes are positive, or 0 (the default) for not used");

    public static readonly DiagnosticDescriptor LayerNameReserved = Error(
        "HD0019",
        "Layer name is reserved",
        "The layer name '{0}' of '{1}' is reserved for a part the generator adds; choose another name");

    public static readonly DiagnosticDescriptor NameClashesWithGeneratedMember = Error(
        "HD0023",
        "The class name is the name of a generated member",
        "The network class '{0}' cannot be called {1}: the generator adds a member of that name, and C# forbids a member named like its class");

    public static readonly DiagnosticDescriptor HyperNetworkHasBaseClass = Error(
        "HD0024",
        "A hypernetwork class declares a base class",
        "The hypernetwork '{0}' derives from '{1}'; the generator makes it derive from HyperDsl.HyperNetworkModel<{2}>, so it cannot have another base class");

    public static readonly DiagnosticDescriptor HyperNetworkIsRecord = Error(
        "HD0025",
        "A hypernetwork is a class, not a record",
        "The hypernetwork '{0}' is a record; declare it as a partial class: it derives from HyperDsl.HyperNetworkModel<T>, and a record can only derive from a record");

    public static readonly DiagnosticDescriptor InputShapeInvalid = Error(
        "HD0026",
        "The input is not declared, or declared twice",
        "The target network '{0}' {1}; declare either inputs (a vector) or Channels, Height and Width (an image), each at least 1");

    public static readonly DiagnosticDescriptor SpatialLayerOnVector = Error(
        "HD0027",
        "An image layer reads a vector",
        "Layer {0} of '{1}' is a {2}, which needs an image, but it reads a vector of {3} (the input, or a Dense or global pool before it); declare the input with Channels, Height and Width, or move the layer before the flattening one");

    public static readonly DiagnosticDescriptor WindowDoesNotFit = Error(
        "HD0028",
        "The window does not fit the input",
        "Layer {0} of '{1}' has a window of {2} over an input of {3}; the window must be at least 1 and no larger than the input (with its padding)");

    public static readonly DiagnosticDescriptor StrideNotPositive = Error(
        "HD0029",
        "The stride must be positive",
        "Layer {0} of '{1}' has stride {2}; a stride is at least 1");

    public static readonly DiagnosticDescriptor PaddingUndefined = Error(
        "HD0030",
        "Padding is not defined",
        "Layer {0} of '{1}' uses the padding value {2}, which is not a member of HyperDsl.Padding");

    public static readonly DiagnosticDescriptor ResidualShapeMismatch = Error(
        "HD0031",
        "A residual layer must keep its input's shape",
        "Layer {0} of '{1}' is Residual, but it turns {2} into {3}; y = x + f(x) needs the output's shape to be the input's");

    public static readonly DiagnosticDescriptor HyperBodyLayerInvalid = Error(
        "HD0033",
        "A hypernetwork's body is made of plain Dense layers",
        "The hypernetwork '{0}' declares {1} in its body; the decoder's body is Dense layers over z, learned directly (Shared and Residual are for target networks, where Residual Dense layers are allowed too)");

    public static readonly DiagnosticDescriptor NothingToGenerate = Error(
        "HD0034",
        "Every layer of the target is shared",
        "Every layer of '{1}' with parameters is Shared, so the hypernetwork '{0}' has nothing to generate; a hypernetwork generates at least one layer");

    public static readonly DiagnosticDescriptor EncoderInvalid = Error(
        "HD0035",
        "The task encoder is not a target network",
        "The hypernetwork '{0}' encodes support sets with '{1}', which is not a class with [TargetNetwork]; a task encoder is declared like a target network, over one support pair [x ; y]");

    public static readonly DiagnosticDescriptor EncoderInputMismatch = Error(
        "HD0036",
        "The task encoder does not read support pairs",
        "The task encoder '{1}' of '{0}' reads {2}, but a support pair [x ; y] of '{3}' is a vector of {4} + {5} = {6} floats; declare the encoder with [TargetNetwork({6})]");

    public static readonly DiagnosticDescriptor EncoderLayerShared = Error(
        "HD0037",
        "A task encoder's layers are all learned directly",
        "Layer {1} of the task encoder '{0}' is Shared, which has no meaning there: every parameter of an encoder is learned directly in θ, the same for every task; remove Shared");

    public static readonly DiagnosticDescriptor SetAttentionWithoutEncoder = Error(
        "HD0038",
        "Set attention needs a task encoder",
        "'{0}' declares [SetAttention], which attends across a task's support set between the encoder and the mean; it belongs on a [HyperNetwork] with Encoder = typeof(...)");

    public static readonly DiagnosticDescriptor SetAttentionSizeInvalid = Error(
        "HD0039",
        "An attention block's sizes must be positive",
        "An attention block of '{0}' has {1} heads and a feed-forward width of {2}; both must be at least 1");

    public static readonly DiagnosticDescriptor SetAttentionHeadsDoNotDivide = Error(
        "HD0040",
        "The tokens do not split into the heads",
        "An attention block of '{0}' has {1} heads, but its tokens have {2} features (the encoder's output for [SetAttention], the body's last layer for [SelfAttention]), which do not split into {1} heads of equal width; choose heads that divide {2}");

    public static readonly DiagnosticDescriptor SelfAttentionWithoutChunks = Error(
        "HD0041",
        "Attention across chunks needs a chunked hypernetwork",
        "'{0}' declares [SelfAttention], which attends across the chunk tokens of a task between the decoder's body and its head; it belongs on a [HyperNetwork] with ChunkSize and ChunkEmbeddingSize");

    public static readonly DiagnosticDescriptor SelfAttentionWithoutBody = Error(
        "HD0042",
        "Attention across chunks needs a body layer",
        "'{0}' declares [SelfAttention] but no [Dense] body layer: the chunk tokens are the body's last outputs, so declare at least one [Dense] layer");

    public static readonly DiagnosticDescriptor GeneratedOrderUndefined = Error(
        "HD0043",
        "GeneratedOrder is not a ParameterOrder",
        "GeneratedOrder of '{0}' is {1}, which is not a member of ParameterOrder; use ParameterOrder.Native (the target's own layout) or ParameterOrder.PyTorch");

    /// <summary>Above this many times the target's parameters, a full hypernetwork's head draws HD0021.</summary>
    public const int HeadToTargetWarningFactor = 128;

    public static readonly DiagnosticDescriptor OutputRelu = Warning(
        "HD0020",
        "The output layer has a Relu activation",
        "The output layer of '{0}' has a Relu activation, so every output is ≥ 0 and its gradient vanishes below 0; a regression or logit output usually has Identity");

    public static readonly DiagnosticDescriptor HeadTooLarge = Warning(
        "HD0021",
        "The hypernetwork's head is much larger than its target",
        "The head of '{0}' has {1} parameters, {2} times the {3} target parameters it generates (more than " + HeadToTargetWarningFactor + " times); set ChunkSize and ChunkEmbeddingSize to generate the target in chunks with a far smaller head");

    public static readonly DiagnosticDescriptor PoolDropsPixels = Warning(
        "HD0032",
        "The pool drops rows or columns",
        "Layer {0} of '{1}' pools an input of {2} in windows of {3}: the last {4} row(s) and {5} column(s) fill no window and are dropped, as PyTorch does; choose a size that divides the input if they matter");

    public static readonly DiagnosticDescriptor ChunkLargerThanTarget = Warning(
        "HD0022",
        "The chunk is larger than the target",
        "ChunkSize {1} of '{0}' is larger than the {2} target parameters it generates: one chunk covers them and {3} head outputs are computed and dropped; use a full hypernetwork (no ChunkSize) or a smaller chunk");

    /// <summary>Every descriptor, by ID.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        NetworkNotPartial, ContainingTypeNotPartial, NetworkIsGeneric, NoLayers, InputsNotPositive, UnitsNotPositive,
        ActivationUndefined, LayerNameInvalid, LayerNameDuplicate, LayersSplitAcrossDeclarations, NetworkTooLarge,
        NetworkIsStatic, TargetAndHyperNetwork, HyperTargetInvalid, NoConditioning, EmbeddingSettingsIncomplete,
        ChunkSettingsIncomplete, HyperSizeNegative, LayerNameReserved, OutputRelu, HeadTooLarge, ChunkLargerThanTarget,
        NameClashesWithGeneratedMember, HyperNetworkHasBaseClass, HyperNetworkIsRecord, InputShapeInvalid,
        SpatialLayerOnVector, WindowDoesNotFit, StrideNotPositive, PaddingUndefined, ResidualShapeMismatch, PoolDropsPixels,
        HyperBodyLayerInvalid, NothingToGenerate, EncoderInvalid, EncoderInputMismatch, EncoderLayerShared,
        SetAttentionWithoutEncoder, SetAttentionSizeInvalid, SetAttentionHeadsDoNotDivide, SelfAttentionWithoutChunks,
        SelfAttentionWithoutBody, GeneratedOrderUndefined,
    }.ToDictionary(descriptor => descriptor.Id);

    private static DiagnosticDescriptor Error(string id, string title, string message) => Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) => Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) => new(
        id,
        title,
        message,
        Category,
        severity,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + id.ToLowerInvariant());
}
