using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using CsCheck;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// No-crash fuzzing: thousands of random declarations — random attribute lists, random and extreme argument values,
/// random modifiers and nesting, random syntax damage. The generator never throws (no CS8785), and whenever it reports
/// no HD error for a source that compiles, the source with the generated code compiles without errors.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    public const int Cases = 3000;

    private static readonly string[] Integers =
    {
        "0", "1", "1", "2", "3", "5", "7", "16", "17", "40", "64", "-1", "-40", "int.MaxValue", "int.MinValue",
        "65536", "1 << 20", "100000", "46341", "\"7\"", "1.5", "null", "true", "(int)2.0", "default",
    };

    private static readonly string[] SmallIntegers = { "1", "2", "3", "4", "5", "8", "9", "33" };

    private static readonly string[] Activations =
    {
        "Activation.Identity", "Activation.Relu", "Activation.LeakyRelu", "Activation.Tanh", "Activation.Sigmoid",
        "Activation.Gelu", "Activation.Silu", "Activation.Softplus", "Activation.Elu", "(Activation)9", "(Activation)(-1)",
        "(Activation)int.MaxValue", "0", "\"Relu\"", "default",
    };

    private static readonly string[] Names =
    {
        "\"Hidden\"", "\"Head\"", "\"Dense0\"", "\"Dense1\"", "\"a b\"", "\"\"", "null", "\"class\"", "\"_x\"",
        "\"Ünïcode\"", "\"1abc\"", "\"@x\"", "3", "\"Forward\"", "\"Layout\"",
    };

    private static readonly string[] ClassNames = { "Net", "Hyper", "A", "B", "@class", "Net" };

    /// <summary>Names the generated code gives members, which a network class cannot have (HD0023).</summary>
    private static readonly string[] MemberNames = Generators.Model.GeneratedMembers.OfTargetNetwork.Concat(Generators.Model.GeneratedMembers.OfHyperNetwork).Distinct().ToArray();

    private static readonly string[] Declarations =
    {
        "public partial class", "public partial class", "public partial class", "partial class", "public class",
        "public partial record", "public static partial class", "public partial struct", "public sealed partial class",
        "public abstract partial class", "internal partial class",
    };

    private static readonly Gen<string> Dense = Gen.OneOf(
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(Activations), (units, activation) => $"[Dense({units}, {activation})]"),
        Gen.Select(Gen.OneOf(SmallIntegers), units => $"[Dense({units})]"),
        Gen.Select(Gen.OneOf(Integers), Gen.OneOf(Activations), Gen.OneOf(Names), (units, activation, name) => $"[Dense({units}, {activation}, Name = {name})]"),
        Gen.Select(Gen.OneOf(Integers), units => $"[Dense(units: {units})]"),
        Gen.Const("[Dense]"));

    private static readonly string[] Flags = { ", Residual = true", ", Shared = true", ", Residual = false", ", Shared = true, Residual = true", ", Residual = 1" };

    private static readonly string[] Paddings = { "Padding.Valid", "Padding.Same", "(Padding)2", "(Padding)(-1)", "0", "default" };

    /// <summary>Image layers with sensible and extreme windows, strides and paddings, and the flags any layer takes.</summary>
    private static readonly Gen<string> ImageLayer = Gen.OneOf(
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(SmallIntegers), Gen.OneOf(Activations), (filters, kernel, activation) => $"[Conv2D({filters}, {kernel}, {activation})]"),
        Gen.Select(Gen.OneOf(Integers), Gen.OneOf(Integers), Gen.OneOf(Integers), Gen.OneOf(Paddings), (filters, kernel, stride, padding) => $"[Conv2D({filters}, {kernel}, Stride = {stride}, Padding = {padding})]"),
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(Flags), (filters, flags) => $"[Conv2D({filters}, 3, Activation.Relu, Padding = Padding.Same{flags})]"),
        Gen.Select(Gen.OneOf(Gen.OneOf(SmallIntegers), Gen.OneOf(Integers)), size => $"[MaxPool2D({size})]"),
        Gen.Select(Gen.OneOf(Gen.OneOf(SmallIntegers), Gen.OneOf(Integers)), size => $"[AvgPool2D({size})]"),
        Gen.Const("[GlobalAvgPool2D]"),
        Gen.Select(Gen.OneOf(Flags.Append(string.Empty).ToArray()), flags => $"[LayerNorm({flags.TrimStart(',', ' ')})]"),
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(Flags), (units, flags) => $"[Dense({units}, Activation.Tanh{flags})]"));

    private static readonly Gen<string> Target = Gen.OneOf(
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(SmallIntegers), Gen.OneOf(SmallIntegers), (c, h, w) => $"[TargetNetwork(Channels = {c}, Height = {h}, Width = {w})]"),
        Gen.Select(Gen.OneOf(Integers), Gen.OneOf(Integers), (c, h) => $"[TargetNetwork(Channels = {c}, Height = {h}, Width = 4)]"),
        Gen.Select(Gen.OneOf(SmallIntegers), c => $"[TargetNetwork({c}, Channels = 1, Height = 2, Width = 2)]"),
        Gen.Select(Gen.OneOf(SmallIntegers), inputs => $"[TargetNetwork({inputs})]"),
        Gen.Select(Gen.OneOf(Integers), inputs => $"[TargetNetwork(inputs: {inputs})]"),
        Gen.Const("[TargetNetwork]"),
        Gen.Select(Gen.OneOf(SmallIntegers), Gen.OneOf(SmallIntegers), (a, b) => $"[TargetNetwork({a}, {b})]"));

    private static readonly Gen<string> HyperSetting = Gen.Select(
        Gen.OneOf("Tasks", "EmbeddingSize", "ConditionSize", "ChunkSize", "ChunkEmbeddingSize", "Tasks", "EmbeddingSize"),
        Gen.OneOf(Gen.OneOf(SmallIntegers), Gen.OneOf(Integers)),
        (name, value) => $", {name} = {value}");

    private static readonly Gen<string> Hyper = Gen.Select(
        Gen.OneOf(ClassNames.Concat(MemberNames).Append("string").Append("Missing").Append("int[]").ToArray()),
        HyperSetting.Array[0, 4],
        (target, settings) => $"[HyperNetwork(typeof({target}){string.Concat(settings)})]");

    private static readonly Gen<string> Attribute = Gen.Frequency((6, Dense), (4, ImageLayer), (3, Target), (3, Hyper));

    private static readonly Gen<string> Declaration = Gen.Select(
        Attribute.Array[0, 6],
        Gen.OneOf(Declarations),
        Gen.Frequency((6, Gen.OneOf(ClassNames)), (1, Gen.OneOf(MemberNames))),
        Gen.Frequency((16, Gen.Const(string.Empty)), (2, Gen.Const("<T>")), (1, Gen.Const(" : System.Attribute")), (1, Gen.Const(" : System.Object"))),
        Gen.Frequency((6, Gen.Const("{0}")), (2, Gen.Const("public partial class Outer {{ {0} }}")), (1, Gen.Const("public class Plain {{ {0} }}")), (1, Gen.Const("public partial class Box<T> {{ {0} }}"))),
        (attributes, declaration, name, typeParameters, container) =>
            string.Format(container, $"{string.Concat(attributes)} {declaration} {name}{typeParameters};"));

    private static readonly Gen<string> Source = Gen.Select(
        Declaration.Array[1, 3],
        Gen.Frequency((3, Gen.Const(string.Empty)), (2, Gen.Const("namespace N;")), (1, Gen.Const("namespace N.M;"))),
        (declarations, ns) => $"using HyperDsl;\n{ns}\n{string.Join("\n", declarations)}\n");

    private static readonly Gen<string> ValidDense = Gen.Select(
        Gen.OneOf(SmallIntegers),
        Gen.OneOf(Activations.Take(8).ToArray()),
        Gen.Frequency((4, Gen.Const(string.Empty)), (1, Gen.Select(Gen.OneOf(Names), name => $", Name = {name}"))),
        (units, activation, name) => $"[Dense({units}, {activation}{name})]");

    /// <summary>Valid image layers over an image of at least 8×8 (a few pools and valid 3×3 convolutions fit in it).</summary>
    private static readonly Gen<string> ValidImageLayer = Gen.OneOf(
        Gen.Select(Gen.OneOf("1", "2", "3"), Gen.OneOf("1", "3"), Gen.OneOf(Activations.Take(8).ToArray()), Gen.OneOf("Padding.Valid", "Padding.Same"), Gen.OneOf("1", "2"), Gen.OneOf(string.Empty, ", Shared = true"),
            (filters, kernel, activation, padding, stride, shared) => $"[Conv2D({filters}, {kernel}, {activation}, Padding = {padding}, Stride = {stride}{shared})]"),
        Gen.OneOf(Gen.Const("[MaxPool2D(2)]"), Gen.Const("[AvgPool2D(2)]"), Gen.Const("[LayerNorm]"), Gen.Const("[LayerNorm(Shared = true)]")));

    private static readonly Gen<string> ValidTarget = Gen.OneOf(
        Gen.Select(
            Gen.OneOf(SmallIntegers),
            ValidDense.Array[1, 4],
            (inputs, layers) => $"[TargetNetwork({inputs})]{string.Concat(layers)} public partial class T0;"),
        Gen.Select(
            Gen.OneOf("1", "2", "3"),
            Gen.OneOf("8", "9", "11"),
            ValidImageLayer.Array[1, 3],
            Gen.OneOf(string.Empty, "[GlobalAvgPool2D]"),
            ValidDense.Array[1, 2],
            (channels, side, images, global, dense) => $"[TargetNetwork(Channels = {channels}, Height = {side}, Width = {side})]{string.Concat(images)}{global}{string.Concat(dense)} public partial class T0;"));

    private static readonly Gen<string> ValidHyper = Gen.Select(
        Gen.OneOf("Tasks = 3, EmbeddingSize = 2", "ConditionSize = 2", "Tasks = 2, EmbeddingSize = 2, ConditionSize = 1"),
        Gen.Frequency((2, Gen.Const(string.Empty)), (1, Gen.Select(Gen.OneOf(SmallIntegers), chunk => $", ChunkSize = {chunk}, ChunkEmbeddingSize = 2"))),
        ValidDense.Array[0, 2],
        (conditioning, chunking, body) => $"[HyperNetwork(typeof(T0), {conditioning}{chunking})]{string.Concat(body)} public partial class H0;");

    /// <summary>Declarations that are valid or one slip away: a valid target network and a hypernetwork of it, with an extreme value swapped in now and then.</summary>
    private static readonly Gen<string> MostlyValidSource = Gen.Select(
        ValidTarget,
        Gen.Frequency((2, ValidHyper), (1, Gen.Const(string.Empty))),
        Gen.Int[0, 9],
        Gen.OneOf(Integers),
        (target, hyper, dice, extreme) =>
        {
            string source = $"using HyperDsl;\nnamespace N;\n{target}\n{hyper}\n";
            if (dice < 3)
            {
                // Swap the first number after a '(' or '=' for an extreme value.
                int at = source.IndexOfAny(new[] { '1', '2', '3', '4', '5', '8', '9' }, source.IndexOf("]", StringComparison.Ordinal) / 2);
                if (at > 0)
                {
                    source = source[..at] + extreme + source[(at + 1)..];
                }
            }

            return source;
        });

    /// <summary>Random syntax damage in one case out of four: a character deleted, one inserted, or the text cut short.</summary>
    private static readonly Gen<string> DamagedSource = Gen.Select(Gen.Frequency((3, Source), (2, MostlyValidSource)), Gen.Int[0, 99], Gen.Double[0, 1], Gen.OneOf('(', ')', '[', ']', '{', '}', ';', ',', '=', '"', '<', '>'), (source, dice, where, character) =>
    {
        int at = (int)(where * (source.Length - 1));
        return dice switch
        {
            < 8 => source.Remove(at, 1),
            < 16 => source.Insert(at, character.ToString()),
            < 25 => source[..at],
            _ => source,
        };
    });

    [Fact]
    public void The_generator_never_fails_and_what_it_accepts_compiles()
    {
        var stats = new ConcurrentDictionary<string, int>();
        DamagedSource.Sample(
            source =>
            {
                CSharpCompilation input = GeneratorHarness.CreateCompilation("Fuzz", source);
                GeneratorDriver driver = GeneratorHarness.CreateDriver()
                    .RunGeneratorsAndUpdateCompilation(input, out Compilation generated, out var driverDiagnostics);
                GeneratorDriverRunResult result = driver.GetRunResult();

                Assert.True(result.Results.Single().Exception is null, $"the generator threw: {result.Results.Single().Exception}");
                Assert.DoesNotContain(driverDiagnostics, d => d.Id is "CS8785" or "AD0001");

                bool hyperErrors = result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
                bool inputErrors = input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
                stats.AddOrUpdate(hyperErrors ? "with HD errors" : "without HD errors", 1, (_, n) => n + 1);
                if (result.GeneratedTrees.Length > 0)
                {
                    stats.AddOrUpdate("generated code", 1, (_, n) => n + 1);
                }

                if (!hyperErrors && !inputErrors)
                {
                    stats.AddOrUpdate("checked to compile", 1, (_, n) => n + 1);
                    if (source.Contains("Conv2D", StringComparison.Ordinal) || source.Contains("Pool2D", StringComparison.Ordinal) || source.Contains("LayerNorm", StringComparison.Ordinal))
                    {
                        stats.AddOrUpdate("of those with image or norm layers", 1, (_, n) => n + 1);
                    }

                    if (source.Contains("Shared = true", StringComparison.Ordinal) && source.Contains("HyperNetwork", StringComparison.Ordinal))
                    {
                        stats.AddOrUpdate("of those with a hypernetwork over shared layers", 1, (_, n) => n + 1);
                    }

                    var errors = generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
                    Assert.True(errors.Count == 0, $"no HD error, but the generated code does not compile:\n{string.Join("\n", errors)}");
                }
            },
            iter: Cases,
            print: source => source);

        output.WriteLine($"{Cases} cases: " + string.Join(", ", stats.OrderBy(pair => pair.Key).Select(pair => $"{pair.Value} {pair.Key}")));
    }
}
