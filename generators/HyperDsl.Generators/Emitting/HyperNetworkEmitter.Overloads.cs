using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>The <c>Generate</c> and <c>Predict</c> overloads a hypernetwork gets, as its conditioning has them.</summary>
internal static partial class HyperNetworkEmitter
{
    private static void EmitGenerateOverloads(CodeWriter writer, HyperNetworkSpec spec)
    {
        string span = "global::System.Span<float>";
        (List<string> parameters, List<string> docs, string task, string condition) = TaskParameters(spec, "/// <param name=\"task\">The task id, from 0 to <see cref=\"Tasks\"/> − 1.</param>");
        parameters.Add($"{span} targetParameters");
        docs.Add("/// <param name=\"targetParameters\">Receives W, exactly <see cref=\"TargetParameterCount\"/> floats, laid out as the target's Layout says.</param>");
        writer.Line();
        writer.Line("/// <summary>W = g(z; θ): the target network's parameters for one task.</summary>");
        foreach (string doc in docs)
        {
            writer.Line(doc);
        }

        writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length or a condition is not finite.</exception>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        writer.Line($"public void {GeneratedMembers.Generate}({string.Join(", ", parameters)}) => GenerateCore({task}, {condition}, targetParameters);");
    }

    /// <summary>
    /// The parameters that name a task, as the conditioning has them: its id (with a table) and its condition vector
    /// (when it takes one), with their doc lines and the arguments that pass them on (0 and default when absent).
    /// </summary>
    private static (List<string> Parameters, List<string> Docs, string Task, string Condition) TaskParameters(HyperNetworkSpec spec, string taskDoc)
    {
        var parameters = new List<string>();
        var docs = new List<string>();
        string task = "0";
        string condition = "default";
        if (spec.Tasks > 0)
        {
            parameters.Add("int task");
            docs.Add(taskDoc);
            task = "task";
        }

        if (spec.ConditionSize > 0)
        {
            parameters.Add("global::System.ReadOnlySpan<float> condition");
            docs.Add("/// <param name=\"condition\">The task's condition vector, <see cref=\"ConditionSize\"/> floats.</param>");
            condition = "condition";
        }

        return (parameters, docs, task, condition);
    }

    /// <summary>
    /// With a task encoder: Generate and Predict for a task given by its support set (and its id and condition where
    /// the hypernetwork takes them).
    /// </summary>
    private static void EmitSupportOverloads(CodeWriter writer, HyperNetworkSpec spec)
    {
        string readOnlySpan = "global::System.ReadOnlySpan<float>";
        (List<string> parameters, List<string> docs, string task, string condition) = TaskParameters(
            spec,
            "/// <param name=\"task\">The task id, from 0 to <see cref=\"Tasks\"/> − 1 (an unseen task: <see cref=\"GenerateFromSupport\"/> with an embedding).</param>");
        parameters.Add($"{readOnlySpan} supportInputs");
        parameters.Add($"{readOnlySpan} supportTargets");
        parameters.Add("int supportSize");
        docs.Add("/// <param name=\"supportInputs\">The support pairs' inputs, <c>[supportSize × InputSize]</c> row-major.</param>");
        docs.Add("/// <param name=\"supportTargets\">The support pairs' targets, <c>[supportSize × OutputSize]</c> row-major.</param>");
        docs.Add("/// <param name=\"supportSize\">Pairs in the support set, from 1 to <see cref=\"MaxSupportPerTask\"/>.</param>");
        string common = string.Join(", ", parameters);
        string arguments = $"{task}, {condition}, supportInputs, supportTargets, supportSize";

        writer.Line();
        writer.Line("/// <summary>W = g(z; θ) for one task, z taking in the encoding of its support set: one forward pass, no gradient steps.</summary>");
        foreach (string doc in docs)
        {
            writer.Line(doc);
        }

        writer.Line("/// <param name=\"targetParameters\">Receives W, exactly <see cref=\"TargetParameterCount\"/> floats, laid out as the target's Layout says.</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length or holds a value that is not finite.</exception>");
        writer.Line($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The support size{(spec.Tasks > 0 ? " or the task id" : string.Empty)} is out of range.</exception>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        writer.Line($"public void {GeneratedMembers.Generate}({common}, global::System.Span<float> targetParameters) => GenerateCore({arguments}, targetParameters);");

        writer.Line();
        writer.Line("/// <summary>The target network's outputs for one task given by its support set: W as Generate makes it, then the target on the inputs.</summary>");
        foreach (string doc in docs)
        {
            writer.Line(doc);
        }

        writer.Line("/// <param name=\"inputs\">The samples, <c>[samples × InputSize]</c> row-major.</param>");
        writer.Line("/// <param name=\"samples\">The number of samples, at least 1.</param>");
        writer.Line("/// <param name=\"outputs\">Receives the outputs, <c>[samples × OutputSize]</c> row-major.</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length or holds a value that is not finite.</exception>");
        writer.Line($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The support size{(spec.Tasks > 0 ? ", the task id" : string.Empty)} or the sample count is out of range.</exception>");
        writer.Line(TargetNetworkEmitter.GeneratedCodeAttribute);
        writer.Line($"public void {GeneratedMembers.Predict}({common}, {readOnlySpan} inputs, int samples, global::System.Span<float> outputs) => PredictCore({arguments}, inputs, samples, outputs);");
    }
}
