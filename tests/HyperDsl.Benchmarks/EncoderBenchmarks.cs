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

    private readonly float[] supportX = { -4f, -2f, 0f, 2f, 4f };
    private readonly float[] supportY = new float[Support];
    private readonly float[] pairs = new float[Support * 2];
    private readonly float[] queryX = new float[Queries];
    private readonly float[] outputs = new float[Queries];
    private readonly float[] onnxOutputs = new float[Queries];
    private readonly float[] mean = new float[SineHyper.EmbeddingSize];
    private readonly float[] embedding = new float[SineHyper.EmbeddingSize];
    private SineEncoderHyper encoder = null!;
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
