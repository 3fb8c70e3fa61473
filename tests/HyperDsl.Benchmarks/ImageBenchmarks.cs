using System;
using BenchmarkDotNet.Attributes;
using HyperDsl.Export;
using HyperDsl.Training;

namespace HyperDsl.Benchmarks;

/// <summary>LeNet's forward pass with W cached, on 1 and 64 samples: HyperDsl, plain scalar C#, ONNX Runtime (one thread).</summary>
[MemoryDiagnoser]
public class LeNetInferenceBenchmarks
{
    private readonly float[] weights = new float[LeNet.ParameterCount];
    private float[] inputs = null!;
    private float[] outputs = null!;
    private float[] workspace = null!;
    private ScalarLeNet scalar = null!;
    private BoundSession onnx = null!;

    [Params(1, 64)]
    public int Samples { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        foreach (LayerDescription layer in LeNet.Layers)
        {
            float bound = 1f / MathF.Sqrt(Math.Max(1, layer.FanIn));
            for (int i = layer.WeightsOffset; i < layer.WeightsOffset + layer.WeightsLength + layer.BiasLength; i++)
            {
                weights[i] = ((2 * random.NextSingle()) - 1) * bound;
            }
        }

        inputs = new float[Samples * LeNet.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        outputs = new float[Samples * LeNet.OutputSize];
        workspace = new float[LeNet.WorkspaceSize(Samples)];
        scalar = new ScalarLeNet(weights);
        onnx = new BoundSession(OnnxExport.TargetNetworkGraph<LeNet>(weights), new[] { ("x", inputs, new long[] { Samples, 1, 28, 28 }) }, ("y", outputs, new long[] { Samples, 10 }));

        // The three must compute the same function, or the comparison means nothing.
        var reference = new float[outputs.Length];
        LeNetForwardHyperDsl();
        outputs.CopyTo(reference, 0);
        foreach ((string name, Action run) in new (string, Action)[] { ("scalar", LeNetForwardScalar), ("ONNX Runtime", LeNetForwardOnnx) })
        {
            Array.Clear(outputs);
            run();
            for (int i = 0; i < outputs.Length; i++)
            {
                if (MathF.Abs(outputs[i] - reference[i]) > 1e-4f * (1 + MathF.Abs(reference[i])))
                {
                    throw new InvalidOperationException($"The {name} LeNet disagrees with the generated one at output {i}: {outputs[i]} vs {reference[i]}.");
                }
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => onnx.Dispose();

    [Benchmark]
    public void LeNetForwardHyperDsl() => LeNet.Forward(weights, inputs, outputs, Samples, workspace);

    [Benchmark]
    public void LeNetForwardScalar() => scalar.Forward(inputs, outputs, Samples);

    [Benchmark]
    public void LeNetForwardOnnx() => onnx.Run();
}

/// <summary>
/// A training step of the hypernetwork that generates LeNet in chunks (2 tasks × 64 images, softmax cross-entropy, Adam),
/// on 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
public class LeNetTrainingBenchmarks
{
    /// <summary>Images per task.</summary>
    public const int Samples = 64;

    /// <summary>The decoder body's one layer, the head's input.</summary>
    public const int BodyWidth = 128;

    private LeNetHyper model = null!;
    private Adam adam = null!;
    private readonly int[] taskIds = { 0, 1 };
    private float[] inputs = null!;
    private float[] targets = null!;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// The step's multiply-adds ×2: LeNet's forward (every layer), its weight gradients (every layer) and input gradients
    /// (all but the first), for 2 × 64 images; the decoder's head forward, weight and input gradients on 2 × 22 rows.
    /// </summary>
    public static double Flops
    {
        get
        {
            double conv0 = 24 * 24 * 25 * 6, conv2 = 8 * 8 * 150 * 16, dense = (256 * 120) + (120 * 84) + (84 * 10);
            double perImage = (conv0 + conv2 + dense) + (conv0 + conv2 + dense) + (conv2 + dense);
            double head = 3.0 * 2 * LeNetHyper.ChunkCount * BodyWidth * LeNetHyper.ChunkSize;
            return 2 * ((2 * Samples * perImage) + head);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        model = new LeNetHyper(maxTasks: 2, maxSamplesPerTask: Samples);
        model.Initialize(1);
        model.Threads = Threads;
        adam = new Adam(model);
        var random = new Random(9);
        inputs = new float[2 * Samples * LeNet.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        targets = new float[2 * Samples * LeNet.OutputSize];
        for (int s = 0; s < 2 * Samples; s++)
        {
            targets[(s * 10) + random.Next(10)] = 1f;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => model.Threads = 1;

    [Benchmark]
    public float LeNetHyperStep()
    {
        float loss = model.ComputeGradients(new TaskBatch(taskIds, inputs, targets, Samples), Loss.SoftmaxCrossEntropy);
        adam.Step(model.Parameters, model.Gradients);
        return loss;
    }
}

/// <summary>Each of LeNet's layers alone, forward and backward, on 64 samples: where a step's time goes.</summary>
[MemoryDiagnoser]
public class LeNetLayerBenchmarks
{
    private readonly LayerRunner[] runners =
    {
        LayerRunner.Of<LeNetConv0>(),
        LayerRunner.Of<LeNetPool1>(),
        LayerRunner.Of<LeNetConv2>(),
        LayerRunner.Of<LeNetPool3>(),
        LayerRunner.Of<LeNetDense4>(),
        LayerRunner.Of<LeNetDense5>(),
        LayerRunner.Of<LeNetDense6>(),
    };

    [Params("Conv0", "MaxPool1", "Conv2", "MaxPool3", "Dense4", "Dense5", "Dense6")]
    public string Layer { get; set; } = "Conv0";

    private LayerRunner runner = null!;

    [GlobalSetup]
    public void Setup() => runner = runners[Array.IndexOf(new[] { "Conv0", "MaxPool1", "Conv2", "MaxPool3", "Dense4", "Dense5", "Dense6" }, Layer)];

    [Benchmark]
    public void LayerForward() => runner.Forward();

    [Benchmark]
    public void LayerBackward() => runner.Backward();
}

/// <summary>One single-layer network's buffers for 64 samples, and its passes.</summary>
internal sealed class LayerRunner
{
    private const int Samples = 64;
    private readonly float[] parameters;
    private readonly float[] inputs;
    private readonly float[] outputs;
    private readonly float[] outputGradients;
    private readonly float[] workspace;
    private readonly float[] parameterGradients;
    private readonly float[] inputGradients;
    private readonly ForwardPass forward;
    private readonly BackwardPass backward;

    private LayerRunner(int parameterCount, int inputSize, int outputSize, int workspaceSize, ForwardPass forward, BackwardPass backward)
    {
        var random = new Random(1);
        parameters = Fill(new float[parameterCount], random);
        inputs = Fill(new float[Samples * inputSize], random);
        outputs = new float[Samples * outputSize];
        outputGradients = Fill(new float[Samples * outputSize], random);
        workspace = new float[workspaceSize];
        parameterGradients = new float[parameterCount];
        inputGradients = new float[Samples * inputSize];
        this.forward = forward;
        this.backward = backward;
        Forward();
    }

    private delegate void ForwardPass(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, Span<float> workspace);

    private delegate void BackwardPass(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int batch, ReadOnlySpan<float> workspace, Span<float> parameterGradients, Span<float> inputGradients);

    public static LayerRunner Of<TNetwork>()
        where TNetwork : ITargetNetwork
        => new(TNetwork.ParameterCount, TNetwork.InputSize, TNetwork.OutputSize, TNetwork.WorkspaceSize(Samples), TNetwork.Forward, TNetwork.Backward);

    public void Forward() => forward(parameters, inputs, outputs, Samples, workspace);

    /// <summary>Backward with the input gradient, as every layer but a network's first computes it.</summary>
    public void Backward() => backward(parameters, inputs, outputGradients, Samples, workspace, parameterGradients, inputGradients);

    private static float[] Fill(float[] values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 0.2f) - 0.1f;
        }

        return values;
    }
}
