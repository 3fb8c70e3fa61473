using System;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests;

/// <summary>Forward and Backward allocate nothing: no arrays, closures, boxing or pooled buffers that are not returned.</summary>
public sealed class AllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("SineNet", 10, 5000)]
    [InlineData("SineNet", 130, 1000)]
    [InlineData("MixedNet", 33, 2000)]
    [InlineData("WideNet", 33, 200)]
    [InlineData("GeluNet", 7, 2000)]
    [InlineData("HugeNet", 3, 50)]
    public void Forward_and_backward_allocate_nothing_after_warm_up(string name, int batch, int calls)
    {
        (CompiledNetwork network, ReferenceNetwork reference) = NetworkCatalog.Get(name);
        var random = new Random(5);
        float[] parameters = RandomData.Parameters(reference, random);
        float[] inputs = RandomData.Uniform(batch * network.InputSize, -1f, 1f, random);
        float[] outputs = new float[batch * network.OutputSize];
        float[] outputGradients = RandomData.Uniform(batch * network.OutputSize, -1f, 1f, random);
        float[] workspace = new float[network.WorkspaceSize(batch)];
        float[] parameterGradients = new float[network.ParameterCount];
        float[] inputGradients = new float[batch * network.InputSize];

        void Step()
        {
            network.Forward(parameters, inputs, outputs, batch, workspace);
            network.Backward(parameters, inputs, outputGradients, batch, workspace, parameterGradients, inputGradients);
        }

        // Warm-up runs the code through the JIT's tiers; allocations there belong to the JIT, not to a step.
        for (int i = 0; i < 100; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{name}, batch {batch}: {calls} Forward+Backward calls allocated {allocated} bytes.");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_allocation_probe_sees_an_allocation()
    {
        // The measurement must be able to fail: one small array is seen.
        long before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(new float[4]);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
    }
}
