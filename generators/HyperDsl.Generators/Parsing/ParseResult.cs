using HyperDsl.Generators.Diagnostics;
using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Parsing;

/// <summary>
/// What parsing one declaration produced: the model when the declaration is valid (null otherwise) and the
/// diagnostics to report. The two travel separately from here on, so that a diagnostic's moved location never
/// regenerates sources.
/// </summary>
internal sealed record ParseResult<TSpec>(TSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class
{
    public static ParseResult<TSpec> Nothing { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}
