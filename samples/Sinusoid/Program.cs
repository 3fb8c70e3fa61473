using System;
using System.Diagnostics;
using Sinusoid;

// Fits SineNet, a 1 → 40 → 40 → 1 network compiled by HyperDsl, to one sine curve y = A·sin(x − φ) with
// gradient descent, using nothing but the generated Forward and Backward. (The hypernetwork that learns the whole
// family of curves and adapts to new ones from a few points builds on exactly these two calls.)
const int Batch = 50;
const int Steps = 3000;
const float Amplitude = 2.5f;
const float Phase = 0.7f;

var random = new Random(7);
float[] parameters = new float[SineNet.ParameterCount];
InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense0Weights, SineNet.Layout.Dense0WeightsLength), fanIn: 1, random);
InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense1Weights, SineNet.Layout.Dense1WeightsLength), fanIn: 40, random);
InitializeLayer(parameters.AsSpan(SineNet.Layout.Dense2Weights, SineNet.Layout.Dense2WeightsLength), fanIn: 40, random);

// Every buffer is allocated once; the loop below allocates nothing.
float[] inputs = new float[Batch * SineNet.InputSize];
float[] targets = new float[Batch * SineNet.OutputSize];
float[] outputs = new float[Batch * SineNet.OutputSize];
float[] outputGradients = new float[Batch * SineNet.OutputSize];
float[] workspace = new float[SineNet.WorkspaceSize(Batch)];
float[] gradients = new float[SineNet.ParameterCount];
var optimizer = new AdamState(SineNet.ParameterCount);

Console.WriteLine($"SineNet: {SineNet.InputSize} -> {SineNet.OutputSize}, {SineNet.ParameterCount} parameters, " +
                  $"{SineNet.WorkspaceSize(Batch)} floats of workspace for a batch of {Batch}.");
var clock = Stopwatch.StartNew();
for (int step = 1; step <= Steps; step++)
{
    for (int n = 0; n < Batch; n++)
    {
        inputs[n] = (random.NextSingle() * 10f) - 5f;
        targets[n] = Amplitude * MathF.Sin(inputs[n] - Phase);
    }

    SineNet.Forward(parameters, inputs, outputs, Batch, workspace);

    // Mean squared error and its gradient with respect to the outputs.
    float loss = 0f;
    for (int n = 0; n < Batch; n++)
    {
        float error = outputs[n] - targets[n];
        loss += error * error / Batch;
        outputGradients[n] = 2f * error / Batch;
    }

    Array.Clear(gradients);
    SineNet.Backward(parameters, inputs, outputGradients, Batch, workspace, gradients, inputGradients: default);
    optimizer.Step(parameters, gradients, learningRate: 3e-3f);

    if (step == 1 || step % 500 == 0)
    {
        Console.WriteLine($"step {step,5}  loss {loss,10:F5}");
    }
}

Console.WriteLine($"{Steps} steps in {clock.Elapsed.TotalMilliseconds:F0} ms.");
Console.WriteLine();
Console.WriteLine("     x     target   SineNet");
float[] probe = { -4f, -2f, 0f, 2f, 4f };
float[] prediction = new float[probe.Length];
SineNet.Forward(parameters, probe, prediction, probe.Length, new float[SineNet.WorkspaceSize(probe.Length)]);
for (int i = 0; i < probe.Length; i++)
{
    Console.WriteLine($"{probe[i],6:F1}  {Amplitude * MathF.Sin(probe[i] - Phase),8:F4}  {prediction[i],8:F4}");
}

// Kaiming-uniform weights for ReLU layers; biases stay zero.
static void InitializeLayer(Span<float> weights, int fanIn, Random random)
{
    float bound = MathF.Sqrt(6f / fanIn);
    for (int i = 0; i < weights.Length; i++)
    {
        weights[i] = ((random.NextSingle() * 2f) - 1f) * bound;
    }
}

/// <summary>A minimal Adam (β = 0.9, 0.999) for the sample.</summary>
internal sealed class AdamState(int count)
{
    private readonly float[] m = new float[count];
    private readonly float[] v = new float[count];
    private int t;

    public void Step(float[] parameters, float[] gradients, float learningRate)
    {
        t++;
        float correction1 = 1f - MathF.Pow(0.9f, t);
        float correction2 = 1f - MathF.Pow(0.999f, t);
        for (int i = 0; i < parameters.Length; i++)
        {
            m[i] = (0.9f * m[i]) + (0.1f * gradients[i]);
            v[i] = (0.999f * v[i]) + (0.001f * gradients[i] * gradients[i]);
            parameters[i] -= learningRate * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + 1e-8f);
        }
    }
}
