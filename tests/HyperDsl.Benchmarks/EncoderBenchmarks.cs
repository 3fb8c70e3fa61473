using System;
using BenchmarkDotNet.Attributes;
using HyperDsl.Training;

namespace HyperDsl.Benchmarks;

/// <summary>
/// Adapting to a new sine curve from K = 5 support points and predicting 100 query points, the three ways the sinusoid
/// sample can: the encoder hypernetwork's one forward pass (HyperDsl, and the same graph in ONNX Runtime), and fitting
/// a fresh embedding of the table hypernetwork (FewShot.Adapt's 100 Adam steps, from the best of 64 table rows).
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    public const int Support = 5;
    public const int Queries = 100;

    /// <summary>The attention block of the sample: tokens of 32, 4 heads, a feed-forward width of 64, over a support set of 10.</summary>
    public static readonly Kernels.AttentionShape Block = new(32, 4, 64);

    public const int AttentionTokens = 10;

    /// <summary>Floating-point operations of the block's forward and backward passes over 10 tokens (the backward counted as twice the forward).</summary>
    public static double AttentionFlops
    {
        get
        {
            double n = AttentionTokens, d = Block.Features, f = Block.FeedForward;
            double forward = (2 * n * ((3 * d * d) + (d * d) + (2 * d * f))) + (4 * n * n * d);
            return 3 * forward;
        }
    }

    private readonly float[] supportX = { -4f, -2f, 0f, 2f, 4f };
    private readonly float[] supportY = new float[Support];
    private readonly float[] pairs = new float[Support * 2];
    private readonly float[] queryX = new float[Queries];
    private readonly float[] outputs = new float[Queries];
    private readonly float[] onnxOutputs = new float[Queries];
    private readonly float[] mean = new float[SineHyper.EmbeddingSize];
    private readonly float[] embedding = new float[SineHyper.EmbeddingSize];
    private SineEncoderHyper encoder = null!;
    private SineAttentionHyper attention = null!;
    private readonly float[] tokens = new float[AttentionTokens * 32];
    private readonly float[] tokenOutputs = new float[AttentionTokens * 32];
    private readonly float[] tokenGradients = new float[AttentionTokens * 32];
    private readonly float[] blockParameters = new float[Block.ParameterCount];
    private readonly float[] blockGradients = new float[Block.ParameterCount];
    private readonly float[] blockWorkspace = new float[Block.WorkspaceSize(AttentionTokens)];
    private readonly float[] blockScratch = new float[Block.ScratchSize(AttentionTokens)];
    private SineHyper table = null!;
    private BoundSession onnx = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Support; i++)
        {
            supportY[i] = 2f * MathF.Sin(supportX[i] - 1f);
            pairs[2 * i] = supportX[i];
            pairs[(2 * i) + 1] = supportY[i];
        }

        for (int i = 0; i < Queries; i++)
        {
            queryX[i] = -5f + (0.1f * i);
        }

        encoder = new SineEncoderHyper(maxTasks: 1, maxSamplesPerTask: Queries, maxSupportPerTask: 10);
        encoder.Initialize(1);
        attention = new SineAttentionHyper(maxTasks: 1, maxSamplesPerTask: Queries, maxSupportPerTask: 10);
        attention.Initialize(1);
        var random = new Random(2);
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = (2f * random.NextSingle()) - 1f;
            tokenGradients[i] = (2f * random.NextSingle()) - 1f;
        }

        attention.Parameters.Slice(SineAttentionHyper.Layout.Encoder + SinePointEncoder.ParameterCount, Block.ParameterCount).CopyTo(blockParameters);
        table = new SineHyper(maxTasks: 1, maxSamplesPerTask: Queries);
        table.Initialize(1);
        FewShot.MeanEmbedding(table, mean);
        onnx = new BoundSession(
            OnnxModels.EncodeGenerateAndForward(encoder),
            new[] { ("pairs", pairs, new long[] { Support, 2 }), ("x", queryX, new long[] { Queries, 1 }) },
            ("y", onnxOutputs, new long[] { Queries, 1 }));

        // The two implementations must compute the same thing before their times are compared.
        AdaptEncoderHyperDsl();
        AdaptEncoderOnnx();
        for (int i = 0; i < Queries; i++)
        {
            if (MathF.Abs(outputs[i] - onnxOutputs[i]) > 1e-4f * (1f + MathF.Abs(outputs[i])))
            {
                throw new InvalidOperationException($"ONNX Runtime's encoder graph gives {onnxOutputs[i]} at query {i}; HyperDsl gives {outputs[i]}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => onnx.Dispose();

    /// <summary>The encoder hypernetwork: E on the 5 pairs, their mean, g, then SineNet on 100 points.</summary>
    [Benchmark]
    public void AdaptEncoderHyperDsl() => encoder.Predict(supportX, supportY, Support, queryX, Queries, outputs);

    /// <summary>The attention encoder hypernetwork: E on the 5 pairs, a transformer block across them, their mean, g, then SineNet on 100 points.</summary>
    [Benchmark]
    public void AdaptAttentionHyperDsl() => attention.Predict(supportX, supportY, Support, queryX, Queries, outputs);

    /// <summary>The sample's attention block alone, forward and backward, over a set of 10 tokens.</summary>
    [Benchmark]
    public void AttentionForwardBackward()
    {
        Kernels.AttentionKernels.Forward(Block, blockParameters, tokens, tokenOutputs, AttentionTokens, blockWorkspace);
        Kernels.AttentionKernels.Backward(Block, blockParameters, tokenGradients, AttentionTokens, blockWorkspace, blockGradients, tokenOutputs, blockScratch);
    }

    /// <summary>The same graph — E, ReduceMean, g, W sliced into SineNet's layers — in ONNX Runtime, one thread.</summary>
    [Benchmark]
    public void AdaptEncoderOnnx() => onnx.Run();

    /// <summary>Fitting a fresh embedding with θ frozen (the library's defaults), then SineNet on 100 points.</summary>
    [Benchmark]
    public void AdaptFitHyperDsl()
    {
        mean.CopyTo(embedding, 0);
        FewShot.Adapt(table, supportX, supportY, Support, Loss.MeanSquaredError, embedding);
        table.Predict(embedding, default, queryX, Queries, outputs);
    }
}
