namespace HyperDsl.Generators.Model;

/// <summary>
/// A type that encloses a network class, as its partial declaration must be repeated in the generated file:
/// its modifiers (<c>static </c> or empty), the keyword (<c>class</c>, <c>struct</c>, <c>record</c>,
/// <c>record struct</c>, <c>interface</c>) and the name with its type parameter list.
/// </summary>
internal sealed record ContainingTypeSpec(string Modifiers, string Keyword, string NameWithTypeParameters)
{
    public string Declaration => $"{Modifiers}partial {Keyword} {NameWithTypeParameters}";
}

/// <summary>Where a network class is declared and what it is called: what the generated file must repeat.</summary>
/// <param name="Namespace">The namespace, or an empty string for the global namespace.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
/// <param name="Keyword"><c>class</c> or <c>record</c>.</param>
/// <param name="Name">The class name, escaped where it is a keyword.</param>
/// <param name="HintName">The generated file's name, unique within the compilation.</param>
internal sealed record TypeDeclarationSpec(
    string Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Keyword,
    string Name,
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

    /// <summary>The simple name without a verbatim <c>@</c>, for messages and derived names.</summary>
    public string PlainName => Name.TrimStart('@');
}
