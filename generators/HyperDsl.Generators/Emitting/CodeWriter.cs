using System;
using System.Text;

namespace HyperDsl.Generators.Emitting;

/// <summary>Builds C# text line by line with four-space indentation and LF line ends, whatever the platform.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public CodeWriter(int depth = 0) => this.depth = depth;

    /// <summary>The current indentation level, for a writer whose text will be inserted here.</summary>
    public int Depth => depth;

    /// <summary>Writes one line at the current indentation (an empty line stays empty).</summary>
    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4);
            text.Append(line);
        }

        text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of <paramref name="lines"/> (split on '\n').</summary>
    public CodeWriter Lines(string lines)
    {
        foreach (string line in lines.Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Indents what follows one more level, for braces written by hand; <see cref="Pop"/> undoes it.</summary>
    public void Push() => depth++;

    /// <summary>Undoes <see cref="Push"/>.</summary>
    public void Pop() => depth--;

    /// <summary>Appends text produced by another writer at the same depth, as it is.</summary>
    public CodeWriter Raw(string code)
    {
        text.Append(code);
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes it.</summary>
    public Block Open(string header)
    {
        Line(header);
        Line("{");
        depth++;
        return new Block(this, string.Empty);
    }

    /// <summary>Opens a brace without a header line, for a scope that keeps its locals apart.</summary>
    public Block OpenScope(string? comment = null)
    {
        Line(comment is null ? "{" : "{ // " + comment);
        depth++;
        return new Block(this, string.Empty);
    }

    public override string ToString() => text.ToString();

    private void Close(string suffix)
    {
        depth--;
        Line("}" + suffix);
    }

    /// <summary>Closes a block on dispose, so that braces always balance.</summary>
    public readonly struct Block : IDisposable
    {
        private readonly CodeWriter writer;
        private readonly string suffix;

        public Block(CodeWriter writer, string suffix)
        {
            this.writer = writer;
            this.suffix = suffix;
        }

        public void Dispose() => writer.Close(suffix);
    }
}
