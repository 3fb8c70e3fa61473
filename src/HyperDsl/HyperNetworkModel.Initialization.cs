using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>Hyperfan initialisation: θ drawn so that each generated target layer starts with a directly initialised layer's variance.</summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    /// <summary>Hyperfan-in initialisation; see <see cref="Initialize(int, HyperfanInit)"/>.</summary>
    /// <param name="seed">The seed; the same seed gives the same θ.</param>
    public void Initialize(int seed) => Initialize(seed, HyperfanInit.FanIn);

    /// <summary>
    /// Initialises θ deterministically for a seed (whatever the capacity the instance was built with): task and chunk
    /// embeddings N(0, 1); body layers Kaiming-normal for their activation, biases 0; the head so that each generated
    /// target layer starts with the variance <paramref name="init"/> asks for (Chang, Sacramento and Steger, ICLR 2020);
    /// a generated LayerNorm's γ near 1 and β near 0; shared layers as PyTorch initialises the module. With
    /// <see cref="HyperfanInit.Xavier"/> the body and the head are Xavier-uniform instead, and a chunked head's factors 1.
    /// </summary>
    /// <remarks>
    /// The head's input h has a second moment m² that depends on the body; it is measured on a probe batch of embeddings
    /// at initialisation, and the head's weights are drawn with variance (target variance) / (fan-in · m²), per
    /// generated parameter. A chunked head generates parameters of different layers with the same columns, so there the
    /// head is drawn for unit variance and each generated parameter is multiplied by the standard deviation its layer
    /// needs — a fixed factor, part of the chunked hypernetwork's definition from then on.
    /// </remarks>
    /// <param name="seed">The seed; the same seed gives the same θ.</param>
    /// <param name="init">Which variance to aim at.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="init"/> is not a member of <see cref="HyperfanInit"/>.</exception>
    public void Initialize(int seed, HyperfanInit init)
    {
        if (init is not (HyperfanInit.FanIn or HyperfanInit.FanOut or HyperfanInit.Xavier))
        {
            throw new ArgumentOutOfRangeException(nameof(init), init, $"{description.Name}.Initialize: {(int)init} is not a member of HyperfanInit.");
        }

        var random = new Random(seed);
        Array.Clear(parameters);
        Gaussian.Fill(random, parameters.AsSpan(0, description.Tasks * description.EmbeddingSize), 1.0);
        Gaussian.Fill(random, parameters.AsSpan(description.ChunkEmbeddingsOffset, description.ChunkCount * description.ChunkEmbeddingSize), 1.0);

        Span<float> g = DecoderParameters;
        IReadOnlyList<LayerDescription> layers = description.DecoderLayers;
        for (int l = 0; l < layers.Count - 1; l++)
        {
            LayerDescription layer = layers[l];
            Span<float> weights = g.Slice(layer.WeightsOffset, layer.WeightsLength);
            if (init == HyperfanInit.Xavier)
            {
                FillXavierUniform(random, weights, layer);
            }
            else
            {
                Gaussian.Fill(random, weights, Math.Sqrt(GainSquared(layer.Activation) / layer.Inputs));
            }
        }

        InitializeSharedLayers(random);
        InitializeEncoder(random);
        SetParameterScale(init);
        LayerDescription head = description.Head;
        if (init == HyperfanInit.Xavier)
        {
            FillXavierUniform(random, g.Slice(head.WeightsOffset, head.WeightsLength), head);
            if (!description.IsChunked)
            {
                parameterOffsets?.CopyTo(g.Slice(head.BiasOffset, head.BiasLength));
            }

            return;
        }

        double headInputMoment = MeasureHeadInputMoment(random);
        double unit = 1.0 / (head.Inputs * headInputMoment);
        Span<float> headWeights = g.Slice(head.WeightsOffset, head.WeightsLength);
        Gaussian.Fill(random, headWeights, Math.Sqrt(unit));
        if (!description.IsChunked)
        {
            // Column o of the head generates target parameter o: scale it to that parameter's target deviation.
            for (int j = 0; j < head.Inputs; j++)
            {
                TensorPrimitives.Multiply(headWeights.Slice(j * head.Units, head.Units), parameterScale, headWeights.Slice(j * head.Units, head.Units));
            }

            parameterOffsets?.CopyTo(g.Slice(head.BiasOffset, head.BiasLength));
        }
    }

    /// <summary>Xavier-uniform weights of a layer of g: U(±√(6 / (inputs + units))), as <c>torch.nn.init.xavier_uniform_</c>.</summary>
    private static void FillXavierUniform(Random random, Span<float> weights, LayerDescription layer)
        => FillUniform(random, weights, Math.Sqrt(6.0 / (layer.Inputs + layer.Units)));

    /// <summary>Fills <paramref name="values"/> with draws from U(−bound, bound).</summary>
    private static void FillUniform(Random random, Span<float> values, double bound)
    {
        foreach (ref float value in values)
        {
            value = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
        }
    }

    /// <summary>
    /// The square of an activation's gain, as in Kaiming and Xavier initialisation (<c>torch.nn.init.calculate_gain</c>
    /// squared): 2 for Relu-like activations (Elu among them), 25/9 for Tanh, 1 otherwise.
    /// </summary>
    private static double GainSquared(Activation activation) => activation switch
    {
        Activation.Relu or Activation.LeakyRelu or Activation.Gelu or Activation.Silu or Activation.Softplus or Activation.Elu => 2.0,
        Activation.Tanh => 25.0 / 9.0,
        _ => 1.0,
    };

    /// <summary>
    /// E[h²] of the head's input h over a probe of 256 rows: embeddings from the table (or N(0, 1)), conditions and
    /// encodings N(0, 1),
    /// every chunk embedding in turn. Runs g, in batches as large as the buffers allow, with the head still zero, and
    /// reads h from g's workspace.
    /// </summary>
    private double MeasureHeadInputMoment(Random random)
    {
        const int ProbeRows = 256;
        int capacity = generated.Length / description.HeadUnits;
        int width = description.DecoderInputSize;
        IReadOnlyList<LayerDescription> layers = description.DecoderLayers;
        double sum = 0;
        long count = 0;
        // With attention across chunk rows, the probe is whole tasks: every chunk row of a task shares its z.
        bool wholeTasks = chunkAttention is not null;
        int probeRows = wholeTasks ? ((ProbeRows + description.ChunkCount - 1) / description.ChunkCount) * description.ChunkCount : ProbeRows;
        for (int done = 0; done < probeRows; done += capacity)
        {
            int rows = Math.Min(capacity, probeRows - done);
            Span<float> inputs = decoderInputs.AsSpan(0, rows * width);
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = inputs.Slice(r * width, width);
                int chunk = (done + r) % description.ChunkCount;
                if (wholeTasks && chunk > 0)
                {
                    inputs.Slice((r - 1) * width, description.TaskInputSize).CopyTo(row);
                }
                else
                {
                    if (description.Tasks > 0)
                    {
                        Embedding(random.Next(description.Tasks)).CopyTo(row);
                    }

                    Gaussian.Fill(random, row.Slice(description.EmbeddingSize, description.ConditionSize + description.EncodingSize), 1.0);
                }

                ChunkEmbedding(chunk).CopyTo(row[description.TaskInputSize..]);
            }

            ReadOnlySpan<float> headInputs = inputs;
            if (layers.Count > 1)
            {
                DecoderForward(primary, 0, rows);
                LayerDescription last = layers[layers.Count - 2];
                headInputs = primary.DecoderWorkspace.AsSpan(rows * last.ActivationSlot, rows * last.Units);
            }

            // Element by element in double, so that the result does not depend on how the probe was batched.
            foreach (float value in headInputs)
            {
                sum += value * (double)value;
            }

            count += headInputs.Length;
        }

        double moment = sum / count;
        return moment > 1e-12 ? moment : 1.0;
    }

    /// <summary>
    /// The standard deviation hyperfan aims at for every generated parameter: Dense and Conv2D weights from their
    /// fan-in (inputs; kernel² × channels) or fan-out (units; kernel² × filters), their biases half the gain; a
    /// LayerNorm's γ and β <see cref="NormParameterDeviation"/> around their offsets 1 and 0. Pools have no
    /// parameters; shared layers are not generated. <see cref="HyperfanInit.Xavier"/> sets every factor to 1.
    /// </summary>
    private void SetParameterScale(HyperfanInit init)
    {
        if (init == HyperfanInit.Xavier)
        {
            parameterScale.AsSpan().Fill(1f);
            return;
        }

        foreach ((LayerDescription layer, int offset) in GeneratedLayers(description))
        {
            Span<float> weights = parameterScale.AsSpan(offset, layer.WeightsLength);
            Span<float> bias = parameterScale.AsSpan(offset + layer.WeightsLength, layer.BiasLength);
            if (layer.Kind == LayerKind.LayerNorm)
            {
                weights.Fill(NormParameterDeviation);
                bias.Fill(NormParameterDeviation);
                continue;
            }

            double gainSquared = GainSquared(layer.Activation);
            double fan = init == HyperfanInit.FanIn ? layer.FanIn : layer.FanOut;
            weights.Fill((float)Math.Sqrt(gainSquared / (2.0 * fan)));
            bias.Fill((float)Math.Sqrt(gainSquared / 2.0));
        }
    }

    /// <summary>The target's generated layers with parameters, each with the offset of its weights in G.</summary>
    private static IEnumerable<(LayerDescription Layer, int Offset)> GeneratedLayers(HyperNetworkDescription description)
    {
        int offset = 0;
        foreach (LayerDescription layer in description.TargetLayers)
        {
            if (!layer.Shared && layer.ParameterCount > 0)
            {
                yield return (layer, offset);
                offset += layer.ParameterCount;
            }
        }
    }

    /// <summary>
    /// The shared layers start as PyTorch starts the module on its own: Dense and Conv2D weights and biases uniform in
    /// ±1/√fan-in (<c>nn.Linear</c>'s and <c>nn.Conv2d</c>'s <c>reset_parameters</c>), a LayerNorm's γ = 1 and β = 0.
    /// </summary>
    private void InitializeSharedLayers(Random random)
    {
        Span<float> shared = SharedParameters;
        int offset = 0;
        foreach (LayerDescription layer in description.TargetLayers)
        {
            if (!layer.Shared || layer.ParameterCount == 0)
            {
                continue;
            }

            InitializeLikePyTorch(random, layer, shared.Slice(offset, layer.WeightsLength), shared.Slice(offset + layer.WeightsLength, layer.BiasLength));
            offset += layer.ParameterCount;
        }
    }

    /// <summary>The task encoder's layers and every attention block start as the shared layers do, as PyTorch starts each module.</summary>
    private void InitializeEncoder(Random random)
    {
        Span<float> encoder = EncoderParameters;
        foreach (LayerDescription layer in description.EncoderLayers)
        {
            if (layer.ParameterCount > 0)
            {
                InitializeLikePyTorch(random, layer, encoder.Slice(layer.WeightsOffset, layer.WeightsLength), encoder.Slice(layer.BiasOffset, layer.BiasLength));
            }
        }

        foreach (LayerDescription block in description.SetAttention)
        {
            InitializeAttentionBlock(random, block.Attention, encoder.Slice(block.WeightsOffset, block.WeightsLength));
        }

        Span<float> chunkBlocks = ChunkAttentionParameters;
        foreach (LayerDescription block in description.ChunkAttention)
        {
            InitializeAttentionBlock(random, block.Attention, chunkBlocks.Slice(block.WeightsOffset, block.WeightsLength));
        }
    }

    /// <summary>
    /// An attention block as PyTorch starts <c>nn.TransformerEncoderLayer</c>: the norms at γ = 1, β = 0; the
    /// in-projection Xavier-uniform over [3d × d] with its bias 0; the out-projection ±1/√d with its bias 0
    /// (<c>nn.MultiheadAttention._reset_parameters</c>); the two feed-forward layers as <c>nn.Linear</c>, ±1/√fan-in.
    /// </summary>
    private static void InitializeAttentionBlock(Random random, Kernels.AttentionShape shape, Span<float> block)
    {
        int d = shape.Features;
        int f = shape.FeedForward;
        block.Clear();
        block.Slice(shape.Norm1Scale, d).Fill(1f);
        block.Slice(shape.Norm2Scale, d).Fill(1f);
        FillUniform(random, block.Slice(shape.InProjectionWeights, 3 * d * d), Math.Sqrt(6.0 / (d + (3 * d))));
        FillUniform(random, block.Slice(shape.OutProjectionWeights, d * d), 1.0 / Math.Sqrt(d));
        FillUniform(random, block.Slice(shape.Linear1Weights, d * f), 1.0 / Math.Sqrt(d));
        FillUniform(random, block.Slice(shape.Linear1Bias, f), 1.0 / Math.Sqrt(d));
        FillUniform(random, block.Slice(shape.Linear2Weights, f * d), 1.0 / Math.Sqrt(f));
        FillUniform(random, block.Slice(shape.Linear2Bias, d), 1.0 / Math.Sqrt(f));
    }

    /// <summary>One directly learned layer as PyTorch starts it: Dense and Conv2D uniform in ±1/√fan-in, LayerNorm γ = 1 and β = 0.</summary>
    private static void InitializeLikePyTorch(Random random, LayerDescription layer, Span<float> weights, Span<float> bias)
    {
        if (layer.Kind == LayerKind.LayerNorm)
        {
            weights.Fill(1f);
            bias.Clear();
        }
        else
        {
            double bound = 1.0 / Math.Sqrt(layer.FanIn);
            FillUniform(random, weights, bound);
            FillUniform(random, bias, bound);
        }
    }

    /// <summary>
    /// The deviation of a generated LayerNorm γ around 1 and β around 0 at initialisation: small, so that the norm
    /// starts close to PyTorch's γ = 1, β = 0 and the layers after it see unit-variance features.
    /// </summary>
    private const float NormParameterDeviation = 0.1f;

    /// <summary>
    /// The fixed offset of each generated parameter: 1 for a LayerNorm's γ, else 0; null when no generated layer is a
    /// LayerNorm. A full head starts its bias there; a chunked head, whose columns are shared by every parameter, adds
    /// it after the hyperfan factor (G = s ⊙ head output + offset), as part of the chunked hypernetwork's definition.
    /// </summary>
    private static float[]? ParameterOffsets(HyperNetworkDescription description)
    {
        float[]? offsets = null;
        foreach ((LayerDescription layer, int offset) in GeneratedLayers(description))
        {
            if (layer.Kind == LayerKind.LayerNorm)
            {
                offsets ??= new float[description.GeneratedParameterCount];
                offsets.AsSpan(offset, layer.WeightsLength).Fill(1f);
            }
        }

        return offsets;
    }
}
