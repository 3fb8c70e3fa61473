using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using HyperDsl.Generators.Model;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// The list of generated member names is the one the emitters write and the one HD0023 checks: every member of a
/// generated class is on it, and a network class named like any of them is refused before C# would refuse it.
/// </summary>
public sealed class GeneratedMemberTests
{
    private const string Target = "[TargetNetwork(1)] [Dense(2, Activation.Tanh)] [Dense(1)] public partial class T;";

    public static IEnumerable<object[]> TargetNames => GeneratedMembers.OfTargetNetwork.Select(name => new object[] { name });

    public static IEnumerable<object[]> HyperNames => GeneratedMembers.OfHyperNetwork.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void A_target_network_named_like_a_generated_member_gets_HD0023_and_no_code(string name)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Names", $"using HyperDsl;\n[TargetNetwork(1)] [Dense(2)] public partial class {name};"));
        Assert.Equal("HD0023", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.GeneratedTrees);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS0542");
    }

    [Theory]
    [MemberData(nameof(HyperNames))]
    public void A_hypernetwork_named_like_a_generated_or_inherited_member_gets_HD0023_and_no_code(string name)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Names", $"using HyperDsl;\n{Target}\n[HyperNetwork(typeof(T), ConditionSize = 2)] public partial class {name};"));
        Assert.Equal("HD0023", Assert.Single(result.Diagnostics).Id);
        Assert.Single(result.GeneratedTrees);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS0542");
    }

    [Fact]
    public void Every_member_a_target_network_gets_is_on_the_list_and_every_name_on_it_is_generated()
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Names", $"using HyperDsl;\n{Target}"));
        string[] members = DeclaredMemberNames(output, "T");
        Assert.Equal(GeneratedMembers.OfTargetNetwork.OrderBy(n => n, StringComparer.Ordinal), members);
    }

    [Fact]
    public void Every_member_a_hypernetwork_gets_or_inherits_is_on_the_list_and_every_name_on_it_is_there()
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            "Names",
            $"using HyperDsl;\n{Target}\n[HyperNetwork(typeof(T), Tasks = 2, EmbeddingSize = 2, ConditionSize = 2)] public partial class H;"));
        INamedTypeSymbol hyper = output.GetTypeByMetadataName("H")!;
        var names = new SortedSet<string>(DeclaredMemberNames(output, "H"), StringComparer.Ordinal);
        names.UnionWith(Visible(hyper.BaseType!.GetMembers()).Select(member => member.Name));
        Assert.Equal(GeneratedMembers.OfHyperNetwork.OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void The_list_of_inherited_members_is_the_runtime_base_class_s_public_and_protected_members()
    {
        var members = typeof(HyperNetworkModel<>)
            .GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(member => member is not ConstructorInfo && !member.Name.Contains('.') && IsPublicOrProtected(member))
            .Where(member => member is not MethodInfo { IsSpecialName: true })
            .Select(member => member.Name)
            .Distinct()
            .OrderBy(name => name, StringComparer.Ordinal);
        Assert.Equal(GeneratedMembers.OfHyperNetworkBase.OrderBy(name => name, StringComparer.Ordinal), members);
    }

    /// <summary>Members the generated part declares on the class, as C# names them (no accessors, no explicit implementations).</summary>
    private static string[] DeclaredMemberNames(Compilation output, string type)
        => Visible(output.GetTypeByMetadataName(type)!.GetMembers())
            .Select(member => member.Name)
            .Distinct()
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();

    private static IEnumerable<ISymbol> Visible(IEnumerable<ISymbol> members)
        => members.Where(member => !member.IsImplicitlyDeclared
            && member.CanBeReferencedByName
            && member is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
            && member.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.Private
            && !(member.DeclaredAccessibility == Accessibility.Private && member.Name != GeneratedMembers.GeneratedDescription));

    private static bool IsPublicOrProtected(MemberInfo member) => member switch
    {
        MethodInfo method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
        PropertyInfo property => (property.GetMethod ?? property.SetMethod) is { } accessor && (accessor.IsPublic || accessor.IsFamily || accessor.IsFamilyOrAssembly),
        FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
        EventInfo => true,
        Type nested => nested.IsNestedPublic || nested.IsNestedFamily,
        _ => false,
    };
}
