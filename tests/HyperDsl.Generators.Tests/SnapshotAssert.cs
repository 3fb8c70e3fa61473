using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// Snapshot testing of generated sources, after the conventions of Verify.SourceGenerators: each generated file of a
/// test is compared with <c>Snapshots/{Class}.{Case}#{HintName}.verified.cs</c> beside the test; the generator's
/// diagnostics, when there are any, with <c>...#diagnostics.verified.txt</c>. On a mismatch the new text is written to
/// a <c>.received.</c> file and the test fails with a line diff. Setting <see cref="AcceptVariable"/> to 1 accepts
/// the received text as the new verified snapshot.
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "HYPERDSL_ACCEPT_SNAPSHOTS";

    private const int DiffContext = 3;
    private const int MaxDiffLines = 80;

    /// <remarks>
    /// Only the file name of <paramref name="testFile"/> is used: a CI build maps source paths (<c>/_/...</c>), so the
    /// snapshot folder comes from the project directory recorded at build time instead.
    /// </remarks>
    public static void Matches(GeneratorDriverRunResult result, string caseName, [CallerFilePath] string testFile = "")
        => Matches(result, caseName, Environment.GetEnvironmentVariable(AcceptVariable) == "1", Path.Combine(TestProject.Directory, "Snapshots"), TestClassName(testFile));

    /// <summary>
    /// Compares as above with the snapshots of <paramref name="testClass"/> in <paramref name="directory"/>;
    /// <paramref name="accept"/> says whether a difference is accepted rather than failed.
    /// </summary>
    public static void Matches(GeneratorDriverRunResult result, string caseName, bool accept, string directory, string testClass)
    {
        string prefix = $"{testClass}.{caseName}";
        var failures = new List<string>();
        var expectedFiles = new HashSet<string>();
        foreach (GeneratedSourceResult source in result.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            string stem = $"{prefix}#{Path.GetFileNameWithoutExtension(source.HintName)}";
            expectedFiles.Add(stem + ".verified.cs");
            Compare(directory, stem, ".cs", source.SourceText.ToString(), accept, failures);
        }

        var diagnostics = result.Diagnostics;
        if (diagnostics.Length > 0)
        {
            expectedFiles.Add($"{prefix}#diagnostics.verified.txt");
            Compare(directory, $"{prefix}#diagnostics", ".txt", Describe(diagnostics), accept, failures);
        }

        // A verified file of this case that the generator no longer produces is a failure too.
        if (Directory.Exists(directory))
        {
            foreach (string stale in Directory.GetFiles(directory, $"{prefix}#*.verified.*").Select(Path.GetFileName).Where(name => !expectedFiles.Contains(name!))!)
            {
                failures.Add($"{stale}: the generator no longer produces this file; delete the snapshot.");
            }
        }

        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("\n\n", failures));
        }
    }

    /// <summary>The file name without extension, whichever separator the (possibly mapped) path uses.</summary>
    private static string TestClassName(string testFile)
        => Path.GetFileNameWithoutExtension(testFile.Replace('\\', '/').Split('/')[^1]);

    /// <summary>Diagnostics as text: ID, severity, span, message, one per line, in a stable order.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics)
        => string.Concat(diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d =>
            {
                FileLinePositionSpan span = d.Location.GetLineSpan();
                return $"{d.Id} {d.Severity} {Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {d.GetMessage()}\n";
            }));

    private static void Compare(string directory, string stem, string extension, string actual, bool accept, List<string> failures)
    {
        actual = actual.Replace("\r\n", "\n");
        string verifiedPath = Path.Combine(directory, stem + ".verified" + extension);
        string receivedPath = Path.Combine(directory, stem + ".received" + extension);
        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        failures.Add(verified is null
            ? $"{Path.GetFileName(verifiedPath)} does not exist; the output is in {Path.GetFileName(receivedPath)}. Review it, then run with {AcceptVariable}=1 to accept it."
            : $"{Path.GetFileName(verifiedPath)} differs from the generated text (written to {Path.GetFileName(receivedPath)}; run with {AcceptVariable}=1 to accept):\n{LineDiff.Format(verified, actual, DiffContext, MaxDiffLines)}");
    }
}

/// <summary>A unified-style line diff (longest common subsequence), for snapshot failures.</summary>
internal static class LineDiff
{
    public static string Format(string expected, string actual, int context, int maxLines)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');

        // Trim the common head and tail so that the quadratic part only sees the changed region.
        int head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        int tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }

        string[] middleA = a[head..(a.Length - tail)];
        string[] middleB = b[head..(b.Length - tail)];
        var edits = new List<(char Kind, string Line)>();
        for (int i = Math.Max(0, head - context); i < head; i++)
        {
            edits.Add((' ', a[i]));
        }

        edits.AddRange(Middle(middleA, middleB));
        for (int i = a.Length - tail; i < Math.Min(a.Length, a.Length - tail + context); i++)
        {
            edits.Add((' ', a[i]));
        }

        var text = new StringBuilder();
        text.Append($"@@ first difference at line {head + 1} (- verified, + received) @@\n");
        foreach ((char kind, string line) in edits.Take(maxLines))
        {
            text.Append(kind).Append(' ').Append(line).Append('\n');
        }

        if (edits.Count > maxLines)
        {
            text.Append($"... {edits.Count - maxLines} more lines of diff\n");
        }

        return text.ToString();
    }

    private static IEnumerable<(char, string)> Middle(string[] a, string[] b)
    {
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        int x = 0;
        int y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                yield return (' ', a[x]);
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lengths[x, y + 1] >= lengths[x + 1, y]))
            {
                yield return ('+', b[y++]);
            }
            else
            {
                yield return ('-', a[x++]);
            }
        }
    }
}
