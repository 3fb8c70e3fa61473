using System;
using System.Collections.Generic;
using System.IO;

namespace HyperDsl.Export;

/// <summary>
/// Builds an ONNX model (opset 17) of float tensors node by node and writes it in the ONNX protobuf format: the small
/// part of ONNX that dense networks need, with no dependency on a protobuf library.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The opset the graphs use: every operator of a dense network is in it, Gelu excepted (it is composed).</summary>
    public const int Opset = 17;

    private const int FloatType = 1;
    private const int Int64Type = 7;
    private readonly List<Action<ProtobufWriter>> nodes = new();
    private readonly List<Action<ProtobufWriter>> initializers = new();
    private readonly List<Action<ProtobufWriter>> inputs = new();
    private readonly List<Action<ProtobufWriter>> outputs = new();
    private readonly HashSet<string> names = new();
    private int nodeCount;

    /// <summary>Starts a graph.</summary>
    /// <param name="name">The graph's name.</param>
    public OnnxGraph(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>Declares a float input; a dimension given as null is symbolic (its name is <c>batch</c>).</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="dimensions">Its shape; null entries are the batch dimension.</param>
    public void AddInput(string name, params long?[] dimensions) => inputs.Add(writer => ValueInfo(writer, Declare(name), dimensions));

    /// <summary>Declares a float output.</summary>
    /// <param name="name">The output's name: the output of some node.</param>
    /// <param name="dimensions">Its shape; null entries are the batch dimension.</param>
    public void AddOutput(string name, params long?[] dimensions) => outputs.Add(writer => ValueInfo(writer, name, dimensions));

    /// <summary>Adds a constant float tensor, stored in the model.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Its values, row-major.</param>
    /// <param name="dimensions">Its shape; the product must be the number of values.</param>
    public void AddInitializer(string name, ReadOnlySpan<float> values, params long[] dimensions)
    {
        long count = 1;
        foreach (long dimension in dimensions)
        {
            count *= dimension;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", dimensions)}] holds {count} values, but {values.Length} were given.", nameof(values));
        }

        float[] copy = values.ToArray();
        Declare(name);
        initializers.Add(writer =>
        {
            foreach (long dimension in dimensions)
            {
                writer.Int64(1, dimension);
            }

            writer.Int64(2, FloatType);
            writer.String(8, name);
            writer.FloatsAsBytes(9, copy);
        });
    }

    /// <summary>Adds a constant int64 tensor (shapes, indices), stored in the model.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Its values, a vector.</param>
    public void AddInt64Initializer(string name, params long[] values)
    {
        Declare(name);
        initializers.Add(writer =>
        {
            writer.Int64(1, values.Length);
            writer.Int64(2, Int64Type);
            foreach (long value in values)
            {
                writer.Int64(7, value);
            }

            writer.String(8, name);
        });
    }

    /// <summary>Adds a node <paramref name="operatorType"/> from <paramref name="nodeInputs"/> to one output.</summary>
    /// <param name="operatorType">The ONNX operator, e.g. <c>MatMul</c>.</param>
    /// <param name="output">The name of its output.</param>
    /// <param name="nodeInputs">The names of its inputs.</param>
    /// <returns>The output's name.</returns>
    public string AddNode(string operatorType, string output, params string[] nodeInputs)
        => AddNode(operatorType, output, nodeInputs, Array.Empty<OnnxAttribute>());

    /// <summary>Adds a node with one float attribute, such as LeakyRelu's <c>alpha</c>.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="output">The name of its output.</param>
    /// <param name="nodeInputs">The names of its inputs.</param>
    /// <param name="floatAttribute">The attribute's name and value.</param>
    /// <returns>The output's name.</returns>
    public string AddNode(string operatorType, string output, string[] nodeInputs, (string Name, float Value)? floatAttribute)
        => AddNode(operatorType, output, nodeInputs, floatAttribute is { } attribute ? new[] { OnnxAttribute.Of(attribute.Name, attribute.Value) } : Array.Empty<OnnxAttribute>());

    /// <summary>Adds a node with attributes, such as a Conv's <c>kernel_shape</c>, <c>strides</c> and <c>pads</c>.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="output">The name of its output.</param>
    /// <param name="nodeInputs">The names of its inputs.</param>
    /// <param name="attributes">Its attributes.</param>
    /// <returns>The output's name.</returns>
    public string AddNode(string operatorType, string output, string[] nodeInputs, params OnnxAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(nodeInputs);
        ArgumentNullException.ThrowIfNull(attributes);
        Declare(output);
        int index = nodeCount++;
        nodes.Add(writer =>
        {
            foreach (string input in nodeInputs)
            {
                writer.String(1, input);
            }

            writer.String(2, output);
            writer.String(3, $"{operatorType}_{index}");
            writer.String(4, operatorType);
            foreach (OnnxAttribute attribute in attributes)
            {
                writer.Message(5, attribute.Write);
            }
        });
        return output;
    }

    /// <summary>The model as ONNX bytes.</summary>
    /// <returns>The serialised ModelProto.</returns>
    public byte[] ToBytes()
    {
        var model = new ProtobufWriter();
        model.Int64(1, 8);
        model.String(2, "HyperDsl");
        model.Message(7, graph =>
        {
            foreach (Action<ProtobufWriter> node in nodes)
            {
                graph.Message(1, node);
            }

            graph.String(2, Name);
            foreach (Action<ProtobufWriter> initializer in initializers)
            {
                graph.Message(5, initializer);
            }

            foreach (Action<ProtobufWriter> input in inputs)
            {
                graph.Message(11, input);
            }

            foreach (Action<ProtobufWriter> output in outputs)
            {
                graph.Message(12, output);
            }
        });
        model.Message(8, opset =>
        {
            opset.String(1, string.Empty);
            opset.Int64(2, Opset);
        });
        return model.ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> through a temporary file, so that no half-written model is ever seen.</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path)
    {
        byte[] bytes = ToBytes();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static void ValueInfo(ProtobufWriter writer, string name, long?[] dimensions)
    {
        writer.String(1, name);
        writer.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int64(1, FloatType);
            tensor.Message(2, shape =>
            {
                foreach (long? dimension in dimensions)
                {
                    shape.Message(1, d =>
                    {
                        if (dimension is { } value)
                        {
                            d.Int64(1, value);
                        }
                        else
                        {
                            d.String(2, "batch");
                        }
                    });
                }
            });
        }));
    }

    private string Declare(string name)
    {
        if (!names.Add(name))
        {
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        }

        return name;
    }
}

/// <summary>One attribute of an ONNX node: a float, an integer, or a list of integers.</summary>
/// <param name="Name">The attribute's name.</param>
/// <param name="Float">Its value, when a float.</param>
/// <param name="Int">Its value, when an integer.</param>
/// <param name="Ints">Its values, when a list of integers.</param>
public readonly record struct OnnxAttribute(string Name, float? Float, long? Int, long[]? Ints)
{
    /// <summary>A float attribute.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Of(string name, float value) => new(name, value, null, null);

    /// <summary>An integer attribute.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Of(string name, long value) => new(name, null, value, null);

    /// <summary>An attribute of integers.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="values">Its values.</param>
    /// <returns>The attribute.</returns>
    public static OnnxAttribute Of(string name, params long[] values) => new(name, null, null, values);

    internal void Write(ProtobufWriter writer)
    {
        // AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20 (FLOAT 1, INT 2, INTS 7).
        writer.String(1, Name);
        if (Float is { } f)
        {
            writer.Float(2, f);
            writer.Int64(20, 1);
        }
        else if (Int is { } i)
        {
            writer.Int64(3, i);
            writer.Int64(20, 2);
        }
        else
        {
            foreach (long value in Ints ?? [])
            {
                writer.Int64(8, value);
            }

            writer.Int64(20, 7);
        }
    }
}
