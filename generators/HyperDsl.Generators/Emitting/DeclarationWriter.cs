using System;
using System.Collections.Generic;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Opens the namespace and the partial declarations of the types that enclose a network class.</summary>
internal static class DeclarationWriter
{
    /// <summary>Opens every enclosing scope; disposing the result closes them in reverse order.</summary>
    public static IDisposable OpenContainers(CodeWriter writer, TypeDeclarationSpec declaration)
    {
        var scopes = new List<CodeWriter.Block>();
        if (declaration.Namespace.Length > 0)
        {
            scopes.Add(writer.Open($"namespace {declaration.Namespace}"));
        }

        foreach (ContainingTypeSpec type in declaration.ContainingTypes)
        {
            scopes.Add(writer.Open(type.Declaration));
        }

        return new Scopes(scopes);
    }

    private sealed class Scopes : IDisposable
    {
        private readonly List<CodeWriter.Block> blocks;

        public Scopes(List<CodeWriter.Block> blocks) => this.blocks = blocks;

        public void Dispose()
        {
            for (int i = blocks.Count - 1; i >= 0; i--)
            {
                blocks[i].Dispose();
            }
        }
    }
}
