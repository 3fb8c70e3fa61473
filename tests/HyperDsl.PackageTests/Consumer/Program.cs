using System.Globalization;
using Consumer;
using HyperDsl;
using HyperDsl.Checkpoints;
using HyperDsl.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"LineNet parameters: {LineNet.ParameterCount}");
Console.Write(LineHyper.Summary);

// Four tasks y = a·x with slopes -1, -0.5, 0.5 and 1, eight points each.
const int Tasks = 4;
const int Samples = 8;
float[] slopes = [-1f, -0.5f, 0.5f, 1f];
int[] ids = [0, 1, 2, 3];
float[] x = new float[Tasks * Samples];
float[] y = new float[Tasks * Samples];
for (int t = 0; t < Tasks; t++)
{
    for (int s = 0; s < Samples; s++)
    {
        x[(t * Samples) + s] = -1f + (2f * s / (Samples - 1));
        y[(t * Samples) + s] = slopes[t] * x[(t * Samples) + s];
    }
}

var model = new LineHyper(Tasks, Samples);
model.Initialize(seed: 7);
var adam = new Adam(model, learningRate: 0.01f);
float first = 0f;
float last = 0f;
for (int step = 0; step < 500; step++)
{
    last = model.ComputeGradients(new TaskBatch(ids, x, y, Samples), Loss.MeanSquaredError);
    first = step == 0 ? last : first;
    adam.Step(model.Parameters, model.Gradients);
}

Console.WriteLine($"loss {first:F4} -> {last:F4}");

string path = Path.Combine(AppContext.BaseDirectory, "line.safetensors");
Checkpoint.Save(path, model, adam, step: 500);
var restored = new LineHyper(Tasks, Samples);
CheckpointInfo info = Checkpoint.Load(path, restored, new Adam(restored, learningRate: 0.01f));
float[] generated = new float[LineNet.ParameterCount];
float[] reloaded = new float[LineNet.ParameterCount];
model.Generate(3, generated);
restored.Generate(3, reloaded);
bool same = generated.AsSpan().SequenceEqual(reloaded);
Console.WriteLine($"checkpoint step {info.Step}, same weights after reload: {same}");

float[] output = new float[1];
LineNet.Forward(generated, [0.5f], output, 1, new float[LineNet.WorkspaceSize(1)]);
Console.WriteLine($"task 3 at x = 0.5: {output[0]:F3}");
return last < first / 10 && same ? 0 : 1;
