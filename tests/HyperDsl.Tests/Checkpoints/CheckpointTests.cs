using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HyperDsl.Checkpoints;
using HyperDsl.Tests.Hyper;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Training;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Checkpoints;

/// <summary>
/// Checkpoints round-trip exactly, use PyTorch's names and shapes (checked by parsing the files independently), load
/// files written by another implementation, and refuse every damaged or mismatched file without changing the model.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hyperdsl-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static IEnumerable<object[]> HyperNames => HyperCatalog.Names;

    [Theory]
    [MemberData(nameof(HyperNames))]
    public void A_hypernetwork_round_trips_with_its_optimizer_and_training_goes_on_exactly_as_before(string name)
    {
        (IHyperModel trained, var reference) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        var data = new HyperBatchData(reference, tasks: 3, samples: 4, Loss.MeanSquaredError, seed: 11);
        trained.Initialize(1);
        var adam = new Adam(trained.ParameterCount, learningRate: 0.01f);
        for (int i = 0; i < 3; i++)
        {
            trained.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            adam.Step(trained.Parameters, trained.Gradients);
        }

        string path = Path.Combine(folder, name + ".safetensors");
        Checkpoint.Save(path, trained, adam, step: 3);

        (IHyperModel restored, _) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        restored.Initialize(2);
        var restoredAdam = new Adam(restored.ParameterCount, learningRate: 0.01f);
        CheckpointInfo info = Checkpoint.Load(path, restored, restoredAdam);

        Assert.Equal(3, info.Step);
        Assert.Equal("Adam", info.Optimizer);
        Assert.Equal(trained.Parameters.ToArray(), restored.Parameters.ToArray());
        Assert.Equal(adam.FirstMoment.ToArray(), restoredAdam.FirstMoment.ToArray());
        Assert.Equal(adam.SecondMoment.ToArray(), restoredAdam.SecondMoment.ToArray());
        Assert.Equal(3, restoredAdam.StepCount);

        foreach ((IHyperModel model, Adam optimizer) in new[] { (trained, adam), (restored, restoredAdam) })
        {
            model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            optimizer.Step(model.Parameters, model.Gradients);
        }

        Assert.Equal(trained.Parameters.ToArray(), restored.Parameters.ToArray());
    }

    [Fact]
    public void A_hypernetwork_with_a_task_encoder_round_trips_with_its_encoder_under_its_own_names()
    {
        var trained = new ChunkedEncoderHyper(maxTasks: 2, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        trained.Initialize(1);
        var data = new SupportBatchData(new Reference.ReferenceHyperNetwork(
            HyperCatalog.Tiny, tasks: 3, embeddingSize: 2, conditionSize: 1, chunkSize: 5, chunkEmbeddingSize: 2, body: new[] { (4, Activation.Silu) },
            encoder: new Reference.ReferenceNetwork(4, new[] { (5, Activation.Tanh), (3, Activation.Identity) })), new[] { 3, 1 }, samples: 2, Loss.MeanSquaredError, seed: 3);
        var adam = new Adam(trained, learningRate: 0.01f);
        for (int i = 0; i < 3; i++)
        {
            trained.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            adam.Step(trained.Parameters, trained.Gradients);
        }

        string path = Path.Combine(folder, "encoder.safetensors");
        Checkpoint.Save(path, trained, adam, step: 3);
        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        Assert.Equal(new long[] { 5, 4 }, tensors["encoder.Dense0.weight"].Shape);
        Assert.Equal(new long[] { 3 }, tensors["encoder.Dense1.bias"].Shape);
        Assert.Equal("Dense0: 4 -> 5, Tanh; Dense1: 5 -> 3, Identity", metadata["encoder"]);

        // nn.Linear's weight[out, in] from E's input-major weights.
        float[] theta = trained.Parameters.ToArray();
        Assert.Equal(theta[ChunkedEncoderHyper.Layout.Encoder + (2 * 5) + 4], tensors["encoder.Dense0.weight"].Values[(4 * 4) + 2]);

        var restored = new ChunkedEncoderHyper(maxTasks: 2, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        restored.Initialize(2);
        var restoredAdam = new Adam(restored, learningRate: 0.01f);
        Checkpoint.Load(path, restored, restoredAdam);
        Assert.Equal(theta, restored.Parameters.ToArray());
        foreach ((ChunkedEncoderHyper model, Adam optimizer) in new[] { (trained, adam), (restored, restoredAdam) })
        {
            model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            optimizer.Step(model.Parameters, model.Gradients);
        }

        Assert.Equal(trained.Parameters.ToArray(), restored.Parameters.ToArray());

        // A hypernetwork without the encoder refuses the file, and so does one with the encoder for a file without it.
        var other = new ChunkedBothHyper(maxTasks: 1, maxSamplesPerTask: 1);
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, other));
        string plain = Path.Combine(folder, "plain.safetensors");
        var sine = new FullEmbeddingHyper(maxTasks: 1, maxSamplesPerTask: 1);
        Checkpoint.Save(plain, sine);
        Assert.False(SafetensorsBytes.Parse(File.ReadAllBytes(plain), out var plainMetadata).ContainsKey("encoder.Dense0.weight"));
        Assert.False(plainMetadata.ContainsKey("encoder"));
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(plain, new MeanEncoderHyper(1, 1, 1)));
    }

    [Fact]
    public void Attention_blocks_are_saved_as_PyTorch_transformer_layers_and_round_trip()
    {
        var model = new AttentionEncoderHyper(maxTasks: 1, maxSamplesPerTask: 1, maxSupportPerTask: 2);
        model.Initialize(3);
        string path = Path.Combine(folder, "attention.safetensors");
        Checkpoint.Save(path, model);
        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        Assert.Equal(new long[] { 12, 4 }, tensors["encoder.SetAttention0.self_attn.in_proj_weight"].Shape);
        Assert.Equal(new long[] { 4, 4 }, tensors["encoder.SetAttention0.self_attn.out_proj.weight"].Shape);
        Assert.Equal(new long[] { 6, 4 }, tensors["encoder.SetAttention0.linear1.weight"].Shape);
        Assert.Equal(new long[] { 4, 3 }, tensors["encoder.Refine.linear2.weight"].Shape);
        Assert.Equal(new long[] { 4 }, tensors["encoder.Refine.norm2.bias"].Shape);
        Assert.EndsWith("SetAttention0: SetAttention 4, 2 heads, feed-forward 6; Refine: SetAttention 4, 1 heads, feed-forward 3", metadata["encoder"]);

        // in_proj_weight[o, i] is the in-projection's input-major W[i, o]: row o = 5 (a key), input i = 2.
        var shape = new HyperDsl.Kernels.AttentionShape(4, 2, 6);
        int block = AttentionEncoderHyper.Layout.Encoder + 49;
        float[] theta = model.Parameters.ToArray();
        Assert.Equal(theta[block + shape.InProjectionWeights + (2 * 12) + 5], tensors["encoder.SetAttention0.self_attn.in_proj_weight"].Values[(5 * 4) + 2]);

        var restored = new AttentionEncoderHyper(maxTasks: 1, maxSamplesPerTask: 1, maxSupportPerTask: 2);
        restored.Initialize(4);
        Checkpoint.Load(path, restored);
        Assert.Equal(theta, restored.Parameters.ToArray());
    }

    [Fact]
    public void Attention_across_chunks_is_saved_under_the_blocks_names_beside_the_decoder()
    {
        var model = new ChunkAttentionHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(5);
        string path = Path.Combine(folder, "chunk-attention.safetensors");
        Checkpoint.Save(path, model);
        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        Assert.Equal(new long[] { 12, 4 }, tensors["SelfAttention0.self_attn.in_proj_weight"].Shape);
        Assert.Equal(new long[] { 3, 4 }, tensors["Mix.linear1.weight"].Shape);
        Assert.Equal(new long[] { 4, 3 }, tensors["Mix.linear2.weight"].Shape);
        Assert.EndsWith("SelfAttention0: SelfAttention 4, 2 heads, feed-forward 5; Mix: SelfAttention 4, 4 heads, feed-forward 3", metadata["decoder"]);

        // The blocks end θ: linear2.bias of the last block is θ's last 4 floats.
        float[] theta = model.Parameters.ToArray();
        Assert.Equal(theta[^4..], tensors["Mix.linear2.bias"].Values);
    }

    [Fact]
    public void Tensors_have_the_names_shapes_and_values_of_a_PyTorch_state_dict()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(4);
        var sgd = new Sgd(SineHyper.ParameterCount, momentum: 0.9f);
        string path = Path.Combine(folder, "sine.safetensors");
        Checkpoint.Save(path, model, sgd, step: 12);

        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        var parameterShapes = new Dictionary<string, long[]>
        {
            ["embedding.weight"] = [1000, 8],
            ["Dense0.weight"] = [64, 8],
            ["Dense0.bias"] = [64],
            ["Head.weight"] = [1761, 64],
            ["Head.bias"] = [1761],
        };
        var expectedNames = parameterShapes.Keys.Concat(parameterShapes.Keys.Select(n => $"optimizer.{n}.momentum_buffer")).OrderBy(n => n);
        Assert.Equal(expectedNames, tensors.Keys.OrderBy(n => n));
        foreach ((string name, long[] shape) in parameterShapes)
        {
            Assert.Equal("F32", tensors[name].Dtype);
            Assert.Equal(shape, tensors[name].Shape);
            Assert.Equal(shape, tensors[$"optimizer.{name}.momentum_buffer"].Shape);
        }

        // torch.nn.Linear keeps weight[out, in]; θ keeps the head input-major, W[i * out + o].
        float[] theta = model.Parameters.ToArray();
        float[] head = tensors["Head.weight"].Values;
        for (int o = 0; o < 1761; o += 97)
        {
            for (int i = 0; i < 64; i += 7)
            {
                Assert.Equal(theta[SineHyper.Layout.HeadWeights + (i * 1761) + o], head[(o * 64) + i]);
            }
        }

        Assert.Equal(theta.AsSpan(SineHyper.Layout.TaskEmbeddings, 8000).ToArray(), tensors["embedding.weight"].Values);
        Assert.Equal(theta.AsSpan(SineHyper.Layout.HeadBias, 1761).ToArray(), tensors["Head.bias"].Values);
        Assert.Equal("hyperdsl", metadata["format"]);
        Assert.Equal("1", metadata["format_version"]);
        Assert.Equal("12", metadata["step"]);
        Assert.Equal("SGD", metadata["optimizer"]);
        Assert.Equal("Dense0: 1 -> 40, Relu; Dense1: 40 -> 40, Relu; Dense2: 40 -> 1, Identity", metadata["target"]);
        Assert.Equal("Dense0: 8 -> 64, Relu; Head: 64 -> 1761, Identity", metadata["decoder"]);
    }

    [Fact]
    public void A_checkpoint_written_with_the_former_metadata_key_generator_still_loads_and_is_still_checked()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(3);
        string path = Path.Combine(folder, "current.safetensors");
        Checkpoint.Save(path, model, step: 7);
        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        var files = tensors.Select(pair => SafetensorsBytes.Tensor.F32(pair.Key, pair.Value.Shape, pair.Value.Values)).ToList();

        // As the first release wrote it: the decoder's layers under "generator".
        var former = metadata.Where(pair => pair.Key != "decoder").ToDictionary(pair => pair.Key, pair => pair.Value);
        former["generator"] = metadata["decoder"];
        string formerPath = Path.Combine(folder, "former.safetensors");
        File.WriteAllBytes(formerPath, SafetensorsBytes.Build(files, former));
        var restored = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        CheckpointInfo info = Checkpoint.Load(formerPath, restored);
        Assert.Equal(7, info.Step);
        Assert.Equal(model.Parameters.ToArray(), restored.Parameters.ToArray());

        // The former key is compared as the new one is.
        former["generator"] = "Dense0: 8 -> 32, Relu; Head: 32 -> 1761, Identity";
        File.WriteAllBytes(formerPath, SafetensorsBytes.Build(files, former));
        var refused = Assert.Throws<CheckpointException>(() => Checkpoint.Load(formerPath, new SineHyper(maxTasks: 1, maxSamplesPerTask: 1)));
        Assert.Equal(CheckpointError.ArchitectureMismatch, refused.Error);
        Assert.Contains("its decoder is 'Dense0: 8 -> 32", refused.Message);
    }

    [Fact]
    public void A_chunked_head_keeps_its_output_scale_so_the_restored_model_generates_the_same_weights()
    {
        var original = new ChunkedSineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        original.Initialize(3, HyperfanInit.FanOut);
        string path = Path.Combine(folder, "chunked.safetensors");
        Checkpoint.Save(path, original);

        var restored = new ChunkedSineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        restored.Initialize(5);
        Checkpoint.Load(path, restored);

        float[] expected = new float[SineNet.ParameterCount];
        float[] actual = new float[SineNet.ParameterCount];
        original.Generate(7, expected);
        restored.Generate(7, actual);
        Assert.Equal(expected, actual);

        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out _);
        Assert.Equal(new long[] { 30, 8 }, tensors["chunk_embedding.weight"].Shape);
        Assert.Equal(new long[] { 1761 }, tensors["output_scale"].Shape);
        Assert.Equal(new long[] { 60, 32 }, tensors["Head.weight"].Shape);

        // Fan-out scale of Dense1's weights (40 -> 40, ReLU gain 2): sqrt(2 / (2 · 40)).
        Assert.Equal(MathF.Sqrt(2f / 80f), tensors["output_scale"].Values[SineNet.Layout.Dense1Weights], 6);
    }

    [Fact]
    public void A_target_network_round_trips_with_PyTorch_shapes()
    {
        var random = new Random(8);
        float[] weights = Enumerable.Range(0, SineNet.ParameterCount).Select(_ => (float)random.NextDouble()).ToArray();
        string path = Path.Combine(folder, "sine-net.safetensors");
        Checkpoint.SaveTarget<SineNet>(path, weights);

        float[] loaded = new float[SineNet.ParameterCount];
        Checkpoint.LoadTarget<SineNet>(path, loaded);
        Assert.Equal(weights, loaded);

        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(path), out var metadata);
        Assert.Equal(new long[] { 40, 1 }, tensors["Dense0.weight"].Shape);
        Assert.Equal(new long[] { 40, 40 }, tensors["Dense1.weight"].Shape);
        Assert.Equal(new long[] { 1, 40 }, tensors["Dense2.weight"].Shape);
        Assert.Equal(new long[] { 1 }, tensors["Dense2.bias"].Shape);
        Assert.Equal(weights[SineNet.Layout.Dense1Weights + (3 * 40) + 5], tensors["Dense1.weight"].Values[(5 * 40) + 3]);
        Assert.Equal("target_network", metadata["kind"]);
    }

    /// <summary>
    /// Networks with images save each tensor in PyTorch's shape and order — <c>nn.Conv2d.weight</c>
    /// <c>[filters, channels, k, k]</c>, <c>nn.LayerNorm.weight</c> <c>[C, H, W]</c>, a Linear layer after an image
    /// reading (c, h, w) — worked out here from the layout contract by index arithmetic, and a file written in that
    /// order by hand loads into the same parameters.
    /// </summary>
    [Theory]
    [InlineData("ConvValidNet")]
    [InlineData("PoolNet")]
    [InlineData("ResidualImageNet")]
    public void A_network_with_images_round_trips_in_PyTorch_shapes_and_order(string name)
    {
        var layers = (IReadOnlyList<LayerDescription>)typeof(LeNet).Assembly.GetType("HyperDsl.Tests.Networks." + name)!.GetProperty("Layers")!.GetValue(null)!;
        int count = layers.Max(l => l.BiasOffset + l.BiasLength);
        var random = new Random(31);
        float[] parameters = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();

        // PyTorch's tensors from the generated layout, element by element in PyTorch's row-major order.
        var expected = new List<SafetensorsBytes.Tensor>();
        foreach (LayerDescription layer in layers)
        {
            Shape input = layer.InputShape;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    var dense = new List<float>();
                    for (int o = 0; o < layer.Units; o++)
                    {
                        for (int i = 0; i < input.Size; i++)
                        {
                            // Feature i in (c, h, w) order is stored at pixel (h·W + w), channel c.
                            int stored = input.IsImage ? ((i % (input.Height * input.Width)) * input.Channels) + (i / (input.Height * input.Width)) : i;
                            dense.Add(parameters[layer.WeightsOffset + (stored * layer.Units) + o]);
                        }
                    }

                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".weight", [layer.Units, input.Size], [.. dense]));
                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".bias", [layer.Units], parameters.AsSpan(layer.BiasOffset, layer.Units).ToArray()));
                    break;
                case LayerKind.Conv2D:
                    int filters = layer.OutputShape.Channels, k = layer.Kernel;
                    var conv = new List<float>();
                    for (int f = 0; f < filters; f++)
                    {
                        for (int c = 0; c < input.Channels; c++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    conv.Add(parameters[layer.WeightsOffset + (((((ky * k) + kx) * input.Channels) + c) * filters) + f]);
                                }
                            }
                        }
                    }

                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".weight", [filters, input.Channels, k, k], [.. conv]));
                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".bias", [filters], parameters.AsSpan(layer.BiasOffset, filters).ToArray()));
                    break;
                case LayerKind.LayerNorm:
                    long[] shape = input.IsImage ? [input.Channels, input.Height, input.Width] : [input.Size];
                    float[] gamma = new float[input.Size], beta = new float[input.Size];
                    for (int i = 0; i < input.Size; i++)
                    {
                        int stored = input.IsImage ? ((i % (input.Height * input.Width)) * input.Channels) + (i / (input.Height * input.Width)) : i;
                        gamma[i] = parameters[layer.WeightsOffset + stored];
                        beta[i] = parameters[layer.BiasOffset + stored];
                    }

                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".weight", shape, gamma));
                    expected.Add(SafetensorsBytes.Tensor.F32(layer.Name + ".bias", shape, beta));
                    break;
                default:
                    Assert.Equal(0, layer.WeightsLength + layer.BiasLength);
                    break;
            }
        }

        string saved = Path.Combine(folder, name + ".safetensors");
        SaveImageNetwork(name, saved, parameters);
        var tensors = SafetensorsBytes.Parse(File.ReadAllBytes(saved), out var metadata);
        Assert.Equal(expected.Select(t => t.Name).Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        foreach (SafetensorsBytes.Tensor tensor in expected)
        {
            Assert.Equal(tensor.Shape, tensors[tensor.Name].Shape);
            Assert.Equal(SafetensorsBytes.Tensor.F32(tensor.Name, tensor.Shape, tensors[tensor.Name].Values).Data, tensor.Data);
        }

        // A file written by another implementation in PyTorch's order (no HyperDsl metadata) loads into the same layout.
        string foreign = Path.Combine(folder, name + "-torch.safetensors");
        File.WriteAllBytes(foreign, SafetensorsBytes.Build(expected, new Dictionary<string, string> { ["format"] = "pt" }));
        float[] loaded = new float[count];
        LoadImageNetwork(name, foreign, loaded);
        Assert.Equal(parameters, loaded);

        float[] reloaded = new float[count];
        LoadImageNetwork(name, saved, reloaded);
        Assert.Equal(parameters, reloaded);
        Assert.Contains("Conv2D", metadata["architecture"], StringComparison.Ordinal);
    }

    private static void SaveImageNetwork(string name, string path, float[] parameters)
    {
        switch (name)
        {
            case nameof(ConvValidNet): Checkpoint.SaveTarget<ConvValidNet>(path, parameters); break;
            case nameof(PoolNet): Checkpoint.SaveTarget<PoolNet>(path, parameters); break;
            default: Checkpoint.SaveTarget<ResidualImageNet>(path, parameters); break;
        }
    }

    private static void LoadImageNetwork(string name, string path, float[] parameters)
    {
        switch (name)
        {
            case nameof(ConvValidNet): Checkpoint.LoadTarget<ConvValidNet>(path, parameters); break;
            case nameof(PoolNet): Checkpoint.LoadTarget<PoolNet>(path, parameters); break;
            default: Checkpoint.LoadTarget<ResidualImageNet>(path, parameters); break;
        }
    }

    /// <summary>
    /// A file in the byte layout of the reference implementation's <c>safetensors.torch.save_file</c> for a PyTorch model
    /// <c>Dense0 = nn.Linear(2, 3)</c>, <c>Dense1 = nn.Linear(3, 2)</c> (metadata <c>{"format": "pt"}</c>, keys sorted,
    /// header padded with spaces). The Python library cannot be installed here (no PyPI access), so the file is
    /// constructed byte by byte from the format's specification instead, independently of the library's writer.
    /// </summary>
    [Fact]
    public void A_PyTorch_state_dict_file_loads_and_computes_what_PyTorch_would()
    {
        float[] w0 = [0.5f, -1f, 0.25f, 2f, -0.75f, 0.1f]; // [3, 2]
        float[] b0 = [0.1f, -0.2f, 0.3f];
        float[] w1 = [1f, -0.5f, 0.25f, -1.5f, 0.75f, 2f]; // [2, 3]
        float[] b1 = [0.05f, -0.4f];
        byte[] file = SafetensorsBytes.Build(
            [
                SafetensorsBytes.Tensor.F32("Dense0.weight", [3, 2], w0),
                SafetensorsBytes.Tensor.F32("Dense0.bias", [3], b0),
                SafetensorsBytes.Tensor.F32("Dense1.weight", [2, 3], w1),
                SafetensorsBytes.Tensor.F32("Dense1.bias", [2], b1),
            ],
            new Dictionary<string, string> { ["format"] = "pt" });
        string path = Path.Combine(folder, "torch.safetensors");
        File.WriteAllBytes(path, file);

        float[] parameters = new float[TinyTarget.ParameterCount];
        CheckpointInfo info = Checkpoint.LoadTarget<TinyTarget>(path, parameters);
        Assert.Equal("pt", info.Metadata["format"]);

        float[] x = [0.3f, -0.8f];
        float[] y = new float[2];
        TinyTarget.Forward(parameters, x, y, 1, new float[TinyTarget.WorkspaceSize(1)]);

        // y = W1 · tanh(W0 · x + b0) + b1, as torch.nn.Linear computes it, in double.
        double[] hidden = Enumerable.Range(0, 3).Select(o => Math.Tanh((w0[o * 2] * (double)x[0]) + (w0[(o * 2) + 1] * (double)x[1]) + b0[o])).ToArray();
        for (int o = 0; o < 2; o++)
        {
            double expected = b1[o] + Enumerable.Range(0, 3).Sum(i => w1[(o * 3) + i] * hidden[i]);
            Assert.Equal(expected, y[o], 5);
        }
    }

    public static TheoryData<string, CheckpointError, string> DamagedTargetFiles => new()
    {
        { "wrong dtype", CheckpointError.WrongDtype, "'Dense0.bias' has dtype F16" },
        { "missing tensor", CheckpointError.MissingTensor, "'Dense1.bias' [2] is missing" },
        { "extra tensor", CheckpointError.UnexpectedTensor, "'Dense2.weight'" },
        { "transposed weight", CheckpointError.ShapeMismatch, "'Dense0.weight' has shape [2, 3]; the model's is [3, 2]" },
        { "newer format", CheckpointError.ArchitectureMismatch, "format version 2" },
        { "other architecture", CheckpointError.ArchitectureMismatch, "its architecture is 'Dense0: 2 -> 3, Relu; Dense1: 3 -> 2, Identity'" },
        { "hypernetwork file", CheckpointError.ArchitectureMismatch, "holds a hypernetwork checkpoint, not a target_network one" },
        { "not JSON", CheckpointError.BadHeader, "not valid JSON" },
        { "gap in the data", CheckpointError.BadHeader, "leaves a gap" },
        { "data past the tensors", CheckpointError.BadHeader, "the tensors end at byte 68" },
        { "size disagrees with shape", CheckpointError.BadHeader, "has shape [3] of F32 but 8 bytes" },
        { "header longer than file", CheckpointError.Truncated, "header length is 4096 bytes" },
        { "too short", CheckpointError.Truncated, "the file has 5 bytes" },
    };

    [Theory]
    [MemberData(nameof(DamagedTargetFiles))]
    public void A_damaged_or_mismatched_file_is_refused_with_the_reason_and_nothing_is_written(string damage, CheckpointError error, string message)
    {
        string path = Path.Combine(folder, "damaged.safetensors");
        File.WriteAllBytes(path, Damaged(damage));
        float[] parameters = Enumerable.Repeat(7f, TinyTarget.ParameterCount).ToArray();

        var exception = Assert.Throws<CheckpointException>(() => Checkpoint.LoadTarget<TinyTarget>(path, parameters));
        Assert.Equal(error, exception.Error);
        Assert.Contains(message, exception.Message);
        Assert.All(parameters, value => Assert.Equal(7f, value));
    }

    [Fact]
    public void Truncating_a_checkpoint_at_any_byte_is_refused_and_leaves_the_model_unchanged()
    {
        (string path, IHyperModel model, Adam adam) = SmallCheckpoint();
        byte[] file = File.ReadAllBytes(path);
        float[] parameters = model.Parameters.ToArray();
        float[] moment = adam.SecondMoment.ToArray();
        string damaged = Path.Combine(folder, "truncated.safetensors");
        for (int length = 0; length < file.Length; length++)
        {
            File.WriteAllBytes(damaged, file[..length]);
            var exception = Assert.Throws<CheckpointException>(() => Checkpoint.Load(damaged, model, adam));
            Assert.True(exception.Error is CheckpointError.Truncated or CheckpointError.BadHeader, $"length {length}: {exception.Error}");
        }

        Assert.Equal(parameters, model.Parameters.ToArray());
        Assert.Equal(moment, adam.SecondMoment.ToArray());
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void Flipping_any_header_bit_pattern_is_refused_or_changes_nothing_that_matters()
    {
        (string path, IHyperModel model, Adam adam) = SmallCheckpoint();
        byte[] file = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(file, 0);
        var source = (IHyperModel)Activator.CreateInstance(model.GetType(), 2, 2)!;
        var sourceAdam = new Adam(source.ParameterCount);
        Checkpoint.Load(path, source, sourceAdam);
        float[] saved = source.Parameters.ToArray();
        float[] untouched = model.Parameters.ToArray();

        string damaged = Path.Combine(folder, "flipped.safetensors");
        int refused = 0;
        foreach (byte mask in new byte[] { 0x01, 0x20, 0x80, 0xFF })
        {
            for (int at = 0; at < headerEnd; at++)
            {
                byte[] copy = (byte[])file.Clone();
                copy[at] ^= mask;
                File.WriteAllBytes(damaged, copy);
                try
                {
                    Checkpoint.Load(damaged, model, adam);

                    // A flip that still makes a valid, matching checkpoint (inside a metadata value, say) must load the same tensors.
                    Assert.Equal(saved, model.Parameters.ToArray());
                    untouched.CopyTo(model.Parameters);
                }
                catch (CheckpointException)
                {
                    refused++;
                    Assert.Equal(untouched, model.Parameters.ToArray());
                }
            }
        }

        Assert.True(refused > 3 * headerEnd, $"{refused} of {4 * headerEnd} flips refused");
    }

    [Fact]
    public void Mismatched_hypernetworks_and_optimizers_are_refused_and_change_nothing()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        model.Initialize(1);
        string withAdam = Path.Combine(folder, "adam.safetensors");
        string without = Path.Combine(folder, "plain.safetensors");
        Checkpoint.Save(withAdam, model, new Adam(SineHyper.ParameterCount));
        Checkpoint.Save(without, model);

        var chunked = new ChunkedSineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        chunked.Initialize(2);
        float[] chunkedBefore = chunked.Parameters.ToArray();
        var other = Assert.Throws<CheckpointException>(() => Checkpoint.Load(withAdam, chunked));
        Assert.Equal(CheckpointError.ArchitectureMismatch, other.Error);
        Assert.Contains("its decoder is 'Dense0: 8 -> 64, Relu; Head: 64 -> 1761, Identity'", other.Message);
        Assert.Equal(chunkedBefore, chunked.Parameters.ToArray());

        var target = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        target.Initialize(9);
        float[] before = target.Parameters.ToArray();
        var sgd = new Sgd(SineHyper.ParameterCount, momentum: 0.9f);
        Assert.Equal(CheckpointError.OptimizerMismatch, Assert.Throws<CheckpointException>(() => Checkpoint.Load(withAdam, target, sgd)).Error);
        var none = Assert.Throws<CheckpointException>(() => Checkpoint.Load(without, target, new Adam(SineHyper.ParameterCount)));
        Assert.Contains("holds no optimizer state", none.Message);
        Assert.Equal(before, target.Parameters.ToArray());

        // Without an optimizer, the optimizer state in a file is skipped.
        Checkpoint.Load(withAdam, target);
        Assert.Equal(model.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void Bad_arguments_are_refused_before_anything_is_written()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 1);
        string path = Path.Combine(folder, "never.safetensors");
        var wrongSize = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, model, new Adam(10)));
        Assert.Contains("updates 10 parameters, but the model has", wrongSize.Message);
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, model, new StatelessOptimizer()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Save(path, model, step: -1));
        Assert.Throws<ArgumentException>(() => Checkpoint.SaveTarget<SineNet>(path, new float[3]));
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(Path.Combine(folder, "missing", "x.safetensors"), model));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_failing_write_leaves_the_previous_file_and_no_temporary_file()
    {
        string path = Path.Combine(folder, "kept.safetensors");
        File.WriteAllText(path, "previous");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));

        var model = new FullEmbeddingHyper(1, 1);
        model.Initialize(1);
        Checkpoint.Save(path, model);
        Checkpoint.Save(path, model);
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    /// <summary>A small hypernetwork checkpoint with Adam state, and a model and fresh optimizer to load it into.</summary>
    private (string Path, IHyperModel Model, Adam Adam) SmallCheckpoint()
    {
        var saved = new FullEmbeddingHyper(2, 2);
        saved.Initialize(1);
        var adam = new Adam(FullEmbeddingHyper.ParameterCount);
        adam.Step(saved.Parameters, Enumerable.Range(0, FullEmbeddingHyper.ParameterCount).Select(i => (float)Math.Sin(i)).ToArray());
        string path = Path.Combine(folder, "small.safetensors");
        Checkpoint.Save(path, saved, adam, step: 1);

        var model = new FullEmbeddingHyper(2, 2);
        model.Initialize(2);
        return (path, model, new Adam(FullEmbeddingHyper.ParameterCount));
    }

    private static byte[] Damaged(string damage)
    {
        var good = new List<SafetensorsBytes.Tensor>
        {
            SafetensorsBytes.Tensor.F32("Dense0.weight", [3, 2], 1, 2, 3, 4, 5, 6),
            SafetensorsBytes.Tensor.F32("Dense0.bias", [3], 1, 2, 3),
            SafetensorsBytes.Tensor.F32("Dense1.weight", [2, 3], 1, 2, 3, 4, 5, 6),
            SafetensorsBytes.Tensor.F32("Dense1.bias", [2], 1, 2),
        };
        Dictionary<string, string> Ours(string kind, string architecture, string version = "1") => new()
        {
            ["format"] = "hyperdsl",
            ["format_version"] = version,
            ["kind"] = kind,
            ["architecture"] = architecture,
        };
        const string tiny = "Dense0: 2 -> 3, Tanh; Dense1: 3 -> 2, Identity";
        switch (damage)
        {
            case "wrong dtype":
                good[1] = new SafetensorsBytes.Tensor("Dense0.bias", "F16", [3], new byte[6]);
                return SafetensorsBytes.Build(good);
            case "missing tensor":
                return SafetensorsBytes.Build(good.Take(3));
            case "extra tensor":
                return SafetensorsBytes.Build(good.Append(SafetensorsBytes.Tensor.F32("Dense2.weight", [1], 1)));
            case "transposed weight":
                good[0] = good[0] with { Shape = [2, 3] };
                return SafetensorsBytes.Build(good);
            case "newer format":
                return SafetensorsBytes.Build(good, Ours("target_network", tiny, version: "2"));
            case "other architecture":
                return SafetensorsBytes.Build(good, Ours("target_network", "Dense0: 2 -> 3, Relu; Dense1: 3 -> 2, Identity"));
            case "hypernetwork file":
                return SafetensorsBytes.Build(good, Ours("hypernetwork", tiny));
            case "not JSON":
                return Replace(SafetensorsBytes.Build(good), "\"dtype\"", "\"dtype'");
            case "gap in the data":
                return Replace(SafetensorsBytes.Build(good), "[0,12]", "[4,16]");
            case "data past the tensors":
                return [.. SafetensorsBytes.Build(good), 0, 0, 0, 0];
            case "size disagrees with shape":
                return Replace(SafetensorsBytes.Build(good), "\"shape\":[3],\"data_offsets\":[0,12]", "\"shape\":[3],\"data_offsets\":[0, 8]");
            case "header longer than file":
                byte[] file = SafetensorsBytes.Build(good);
                BitConverter.TryWriteBytes(file.AsSpan(0, 8), 4096UL);
                return file;
            case "too short":
                return [1, 2, 3, 4, 5];
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, null);
        }
    }

    /// <summary>Replaces text in the header, keeping its length so that the header length stays right.</summary>
    private static byte[] Replace(byte[] file, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(file, 0);
        string header = System.Text.Encoding.UTF8.GetString(file, 8, headerEnd - 8);
        Assert.Contains(from, header);
        byte[] replaced = System.Text.Encoding.UTF8.GetBytes(header.Replace(from, to));
        return [.. file[..8], .. replaced, .. file[headerEnd..]];
    }
}
