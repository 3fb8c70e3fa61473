using System;
using System.Runtime.Intrinsics;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace HyperDsl.Benchmarks;

/// <summary>
/// The machine's FMA peak, measured in the same run: 16 independent chains of fused multiply-adds on the widest
/// accelerated vector, so that neither latency nor memory limits it.
/// </summary>
[MemoryDiagnoser]
public class PeakBenchmarks
{
    /// <summary>FMAs per call: 16 chains × this many steps × the vector's lanes.</summary>
    public const int Steps = 4096;

    /// <summary>Floating-point operations per call.</summary>
    public static double Flops => 2.0 * 16 * Steps * (Vector512.IsHardwareAccelerated ? 16 : 8);

    private readonly ChainPartner partner = new();

    [Benchmark]
    public float FmaChain() => Chain();

    /// <summary>The same chains on this thread and a second one at once: what two threads of this machine can do together.</summary>
    [Benchmark]
    public float FmaChainTwoThreads()
    {
        partner.Start();
        float own = Chain();
        return own + partner.Wait();
    }

    [GlobalCleanup]
    public void Cleanup() => partner.Dispose();

    /// <summary>One call's chains on the widest accelerated vector.</summary>
    internal static float Chain() => Vector512.IsHardwareAccelerated ? Chain512() : Chain256();

    private static float Chain512()
    {
        Vector512<float> a = Vector512.Create(0.9999f), b = Vector512.Create(1e-4f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Kernels.Simd.MultiplyAdd(c0, a, b); c1 = Kernels.Simd.MultiplyAdd(c1, a, b); c2 = Kernels.Simd.MultiplyAdd(c2, a, b); c3 = Kernels.Simd.MultiplyAdd(c3, a, b);
            c4 = Kernels.Simd.MultiplyAdd(c4, a, b); c5 = Kernels.Simd.MultiplyAdd(c5, a, b); c6 = Kernels.Simd.MultiplyAdd(c6, a, b); c7 = Kernels.Simd.MultiplyAdd(c7, a, b);
            c8 = Kernels.Simd.MultiplyAdd(c8, a, b); c9 = Kernels.Simd.MultiplyAdd(c9, a, b); c10 = Kernels.Simd.MultiplyAdd(c10, a, b); c11 = Kernels.Simd.MultiplyAdd(c11, a, b);
            c12 = Kernels.Simd.MultiplyAdd(c12, a, b); c13 = Kernels.Simd.MultiplyAdd(c13, a, b); c14 = Kernels.Simd.MultiplyAdd(c14, a, b); c15 = Kernels.Simd.MultiplyAdd(c15, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    private static float Chain256()
    {
        Vector256<float> a = Vector256.Create(0.9999f), b = Vector256.Create(1e-4f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector256<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Kernels.Simd.MultiplyAdd(c0, a, b); c1 = Kernels.Simd.MultiplyAdd(c1, a, b); c2 = Kernels.Simd.MultiplyAdd(c2, a, b); c3 = Kernels.Simd.MultiplyAdd(c3, a, b);
            c4 = Kernels.Simd.MultiplyAdd(c4, a, b); c5 = Kernels.Simd.MultiplyAdd(c5, a, b); c6 = Kernels.Simd.MultiplyAdd(c6, a, b); c7 = Kernels.Simd.MultiplyAdd(c7, a, b);
            c8 = Kernels.Simd.MultiplyAdd(c8, a, b); c9 = Kernels.Simd.MultiplyAdd(c9, a, b); c10 = Kernels.Simd.MultiplyAdd(c10, a, b); c11 = Kernels.Simd.MultiplyAdd(c11, a, b);
            c12 = Kernels.Simd.MultiplyAdd(c12, a, b); c13 = Kernels.Simd.MultiplyAdd(c13, a, b); c14 = Kernels.Simd.MultiplyAdd(c14, a, b); c15 = Kernels.Simd.MultiplyAdd(c15, a, b);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }
}

/// <summary>A thread that runs the FMA chains on request, polling so that a request costs no wake-up.</summary>
internal sealed class ChainPartner : IDisposable
{
    private readonly Thread thread;
    private volatile int requested;
    private volatile int completed;
    private volatile bool stopping;
    private float result;

    public ChainPartner()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "FMA chain partner" };
        thread.Start();
    }

    public void Start() => requested++;

    public float Wait()
    {
        while (completed != requested)
        {
            Thread.SpinWait(1);
        }

        return result;
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }

    private void Loop()
    {
        int seen = 0;
        while (!stopping)
        {
            if (requested == seen)
            {
                Thread.SpinWait(1);
                continue;
            }

            seen = requested;
            result = PeakBenchmarks.Chain();
            completed = seen;
        }
    }
}

/// <summary>A training step — ComputeGradients over the meta-batch and an Adam step — on 1 and 2 threads.</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingWorkload workload = null!;

    [Params("small", "large")]
    public string Configuration { get; set; } = "small";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        workload = Configuration == "small" ? TrainingWorkload.Small() : TrainingWorkload.Large();
        workload.Threads = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => workload.Dispose();

    [Benchmark]
    public float HyperDslStep() => workload.Step();
}

/// <summary>The same training steps in plain scalar C# (one thread): the "no generator" baseline.</summary>
[MemoryDiagnoser]
public class ScalarTrainingBenchmarks
{
    private ScalarHyperStep step = null!;
    private TrainingWorkload data = null!;

    [Params("small", "large")]
    public string Configuration { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        data = Configuration == "small" ? TrainingWorkload.Small() : TrainingWorkload.Large();
        step = Configuration == "small"
            ? new ScalarHyperStep(1000, 8, new[] { (64, Activation.Relu) }, 1, new[] { (40, Activation.Relu), (40, Activation.Relu), (1, Activation.Identity) }, 10, 1)
            : new ScalarHyperStep(1000, 32, new[] { (256, Activation.Relu) }, 64, new[] { (256, Activation.Relu), (256, Activation.Relu), (10, Activation.Identity) }, 64, 1);
    }

    [GlobalCleanup]
    public void Cleanup() => data.Dispose();

    [Benchmark]
    public float ScalarStep() => step.Step(data.TaskIds, data.Inputs, data.Targets, data.Samples);
}

/// <summary>
/// Inference with the small configuration: W for one task; SineNet on 1 and 10 samples with W cached; W and the forward
/// pass for 1 sample — in HyperDsl, in plain scalar C#, and in ONNX Runtime 1.31.1 (one thread, bound tensors).
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly float[] weights = new float[SineNet.ParameterCount];
    private readonly float[] embedding = new float[SineHyper.EmbeddingSize];
    private readonly float[] one = { 0.7f };
    private readonly float[] ten = { -4.5f, -3.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f };
    private readonly float[] outputOne = new float[1];
    private readonly float[] outputTen = new float[10];
    private readonly float[] workspace = new float[SineNet.WorkspaceSize(10)];
    private readonly float[] onnxWeights = new float[SineNet.ParameterCount];
    private SineHyper model = null!;
    private ScalarMlp scalarGenerator = null!;
    private ScalarMlp scalarTarget = null!;
    private BoundSession onnxGenerator = null!;
    private BoundSession onnxForwardOne = null!;
    private BoundSession onnxForwardTen = null!;
    private BoundSession onnxGenerateForward = null!;

    [GlobalSetup]
    public void Setup()
    {
        model = new SineHyper(1, 10);
        model.Initialize(1);
        model.Generate(7, weights);
        model.TaskEmbeddings.Slice(7 * SineHyper.EmbeddingSize, SineHyper.EmbeddingSize).CopyTo(embedding);
        scalarGenerator = new ScalarMlp(SineHyper.EmbeddingSize, 1, (64, Activation.Relu), (SineNet.ParameterCount, Activation.Identity));
        scalarTarget = new ScalarMlp(1, 10, (40, Activation.Relu), (40, Activation.Relu), (1, Activation.Identity));
        onnxGenerator = new BoundSession(OnnxModels.Generator(model), new[] { ("z", embedding, new long[] { 1, SineHyper.EmbeddingSize }) }, ("w", onnxWeights, new long[] { 1, SineNet.ParameterCount }));
        onnxForwardOne = new BoundSession(OnnxModels.Target(weights), new[] { ("x", one, new long[] { 1, 1 }) }, ("y", outputOne, new long[] { 1, 1 }));
        onnxForwardTen = new BoundSession(OnnxModels.Target(weights), new[] { ("x", ten, new long[] { 10, 1 }) }, ("y", outputTen, new long[] { 10, 1 }));
        onnxGenerateForward = new BoundSession(OnnxModels.GenerateAndForward(model), new[] { ("z", embedding, new long[] { 1, SineHyper.EmbeddingSize }), ("x", one, new long[] { 1, 1 }) }, ("y", outputOne, new long[] { 1, 1 }));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        onnxGenerator.Dispose();
        onnxForwardOne.Dispose();
        onnxForwardTen.Dispose();
        onnxGenerateForward.Dispose();
    }

    [Benchmark]
    public void GenerateHyperDsl() => model.Generate(7, weights);

    [Benchmark]
    public void GenerateScalar() => scalarGenerator.Forward(model.Parameters[SineHyper.Layout.Dense0Weights..], embedding, 1);

    [Benchmark]
    public void GenerateOnnx() => onnxGenerator.Run();

    /// <summary>
    /// The floor under generating W: one vectorised read of the head's weights and bias (the 450 KB that every
    /// Generate must read once), summed so that the read cannot be skipped.
    /// </summary>
    [Benchmark]
    public float ReadHeadWeights()
        => System.Numerics.Tensors.TensorPrimitives.Sum(model.Parameters.Slice(SineHyper.Layout.HeadWeights, SineHyper.Layout.HeadWeightsLength + SineHyper.Layout.HeadBiasLength));

    [Benchmark]
    public void Forward1HyperDsl() => SineNet.Forward(weights, one, outputOne, 1, workspace);

    [Benchmark]
    public void Forward1Scalar() => scalarTarget.Forward(weights, one, 1);

    [Benchmark]
    public void Forward1Onnx() => onnxForwardOne.Run();

    [Benchmark]
    public void Forward10HyperDsl() => SineNet.Forward(weights, ten, outputTen, 10, workspace);

    [Benchmark]
    public void Forward10Scalar() => scalarTarget.Forward(weights, ten, 10);

    [Benchmark]
    public void Forward10Onnx() => onnxForwardTen.Run();

    [Benchmark]
    public void GenerateForward1HyperDsl() => model.Predict(embedding, default, one, 1, outputOne);

    [Benchmark]
    public void GenerateForward1Scalar()
    {
        scalarGenerator.Forward(model.Parameters[SineHyper.Layout.Dense0Weights..], embedding, 1);
        scalarTarget.Forward(scalarGenerator.Outputs, one, 1);
    }

    [Benchmark]
    public void GenerateForward1Onnx() => onnxGenerateForward.Run();
}
