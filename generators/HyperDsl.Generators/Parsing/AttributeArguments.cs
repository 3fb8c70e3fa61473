using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HyperDsl.Generators.Parsing;

/// <summary>Reads attribute arguments from <see cref="AttributeData"/> and finds the syntax each one came from.</summary>
internal static class AttributeArguments
{
    /// <summary>Reads the constructor argument at <paramref name="position"/> as an int; false when it is missing or malformed.</summary>
    public static bool TryGetInt(AttributeData attribute, int position, out int value)
    {
        value = 0;
        if (attribute.AttributeConstructor is null || position >= attribute.ConstructorArguments.Length)
        {
            return false;
        }

        TypedConstant argument = attribute.ConstructorArguments[position];
        if (argument.Kind is TypedConstantKind.Error or TypedConstantKind.Array || argument.Value is not int number)
        {
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>
    /// Reads a named argument (a property set in the attribute) as an int (an enum's value too):
    /// <paramref name="defaultValue"/> when absent; false when malformed.
    /// </summary>
    public static bool TryGetNamedInt(AttributeData attribute, string name, out int value, int defaultValue = 0)
    {
        value = defaultValue;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                if (pair.Value.Kind == TypedConstantKind.Error || pair.Value.Value is not int number)
                {
                    return false;
                }

                value = number;
            }
        }

        return true;
    }

    /// <summary>Reads a named argument (a property set in the attribute) as a bool: false when absent; false result when malformed.</summary>
    public static bool TryGetNamedBool(AttributeData attribute, string name, out bool value)
    {
        value = false;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                if (pair.Value.Kind == TypedConstantKind.Error || pair.Value.Value is not bool flag)
                {
                    return false;
                }

                value = flag;
            }
        }

        return true;
    }

    /// <summary>Reads a named argument (a property set in the attribute) as a string; null when absent.</summary>
    public static bool TryGetNamedString(AttributeData attribute, string name, out string? value, out bool present)
    {
        value = null;
        present = false;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key != name)
            {
                continue;
            }

            present = true;
            if (pair.Value.Kind == TypedConstantKind.Error)
            {
                return false;
            }

            value = pair.Value.Value as string;
            return true;
        }

        return true;
    }

    /// <summary>
    /// The syntax of the constructor argument for <paramref name="parameterName"/> at <paramref name="position"/>
    /// (positional or named with a colon), or the whole attribute when the argument was not written.
    /// </summary>
    public static SyntaxNode? ConstructorArgumentSyntax(AttributeSyntax? attribute, int position, string parameterName)
    {
        if (attribute?.ArgumentList is not { } list)
        {
            return attribute;
        }

        AttributeArgumentSyntax? named = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName);
        if (named is not null)
        {
            return named.Expression;
        }

        if (position < list.Arguments.Count && list.Arguments[position] is { NameColon: null, NameEquals: null } positional)
        {
            return positional.Expression;
        }

        return attribute;
    }

    /// <summary>The syntax of the named argument <c>Name = value</c>, or the whole attribute.</summary>
    public static SyntaxNode? NamedArgumentSyntax(AttributeSyntax? attribute, string name)
        => attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression
           ?? (SyntaxNode?)attribute;
}
