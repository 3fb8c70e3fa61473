namespace HyperDsl.Generators.Model;

/// <summary>
/// A type that encloses the network class, as its partial declaration must be repeated in the generated file:
/// its modifiers (<c>static </c> or empty), the keyword (<c>class</c>, <c>struct</c>, <c>record</c>,
/// <c>record struct</c>, <c>interface</c>) and the name with its type parameter list.
/// </summary>
internal sealed record ContainingTypeSpec(string Modifiers, string Keyword, string NameWithTypeParameters)
{
    public string Declaration => $"{Modifiers}partial {Keyword} {NameWithTypeParameters}";
}

/// <summary>
/// Everything the emitters need to know about one declared target network: only strings, numbers and arrays of
/// them, so that an edit that does not change the declaration leaves this value equal and the output cached.
/// </summary>
/// <param name="Namespace">The namespace, or an empty string for the global namespace.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
/// <param name="Modifiers">Modifiers to repeat on the generated partial declaration (<c>static</c> or empty).</param>
/// <param name="Keyword"><c>class</c> or <c>record</c>.</param>
/// <param name="Name">The class name.</param>
/// <param name="InputSize">Inputs per sample.</param>
/// <param name="Layers">The layers in source order.</param>
/// <param name="HintName">The generated file's name, unique within the compilation.</param>
internal sealed record NetworkSpec(
    string Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Modifiers,
    string Keyword,
    string Name,
    int InputSize,
    EquatableArray<LayerSpec> Layers,
    string HintName)
{
    /// <summary>The name as C# code spells it from the global namespace, for messages and comments.</summary>
    public string FullName
    {
        get
        {
            string prefix = Namespace.Length == 0 ? string.Empty : Namespace + ".";
            foreach (ContainingTypeSpec type in ContainingTypes)
            {
                prefix += type.NameWithTypeParameters + ".";
            }

            return prefix + Name;
        }
    }
}
