using System.Numerics;
using System.Text.Json;
using DtiPortal.Web.Deployment;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// Issue 17: a circuit's JS runtime writes interop arguments as before, but keeps no JSON metadata for the ancestors of what it
/// writes (an int's thirty generic-math interfaces, a string's, an enum's) — about 30 KB per open page. The runtime is the
/// framework's own, built by the registration the interactive server components make.
/// </summary>
public class CircuitJsonMetadataTests
{
    private static (IJSRuntime Runtime, JsonSerializerOptions Options, IDisposable Scope) Runtime(bool lean)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        if (lean) builder.Services.AddLeanCircuitJsonMetadata();
        var scope = builder.Build().Services.CreateScope();
        var runtime = scope.ServiceProvider.GetRequiredService<IJSRuntime>();
        var options = CircuitJsonMetadata.OptionsOf((JSRuntime)runtime) ?? throw new InvalidOperationException("no options");
        return (runtime, options, scope);
    }

    // What the framework and the pages pass when a circuit starts: numbers, strings, an enum, a dictionary, all as object.
    private static readonly object?[] Arguments =
        [7, "luu", DayOfWeek.Monday, new Dictionary<string, List<string>> { ["a"] = ["b", "c"] }, new[] { 1.5m }, null];

    [Fact]
    public void TheCircuitsRuntime_WritesArgumentsAsBefore_WithoutMetadataForTheirAncestors()
    {
        var (runtime, options, scope) = Runtime(lean: true);
        using var leanScope = scope;
        Assert.Equal("RemoteJSRuntime", runtime.GetType().Name); // still the framework's own: the circuit casts it

        var (_, plain, plainScope) = Runtime(lean: false);
        using var plainScopeUsed = plainScope;
        Assert.Equal(JsonSerializer.Serialize(Arguments, plain), JsonSerializer.Serialize(Arguments, options));
        Assert.Equal("[7,\"luu\",1,{\"a\":[\"b\",\"c\"]},[1.5],null]", JsonSerializer.Serialize(Arguments, options));

        Assert.False(options.TryGetTypeInfo(typeof(INumber<int>), out _));
        Assert.False(options.TryGetTypeInfo(typeof(IComparable<string>), out _));
        Assert.False(options.TryGetTypeInfo(typeof(Enum), out _));
        // A collection interface may be a payload's declared type: resolved and written as before.
        Assert.True(options.TryGetTypeInfo(typeof(IReadOnlyList<int>), out _));
        Assert.Equal("[1,2]", JsonSerializer.Serialize<IReadOnlyList<int>>([1, 2], options));
        Assert.Equal([3, 4], JsonSerializer.Deserialize<IReadOnlyList<int>>("[3,4]", options));
    }

    [Theory]
    [InlineData(typeof(IComparable), true)]
    [InlineData(typeof(IUnaryPlusOperators<int, int>), true)]
    [InlineData(typeof(ValueType), true)]
    [InlineData(typeof(System.Runtime.Serialization.ISerializable), true)]
    [InlineData(typeof(IEnumerable<char>), false)]
    [InlineData(typeof(IDictionary<string, object>), false)]
    [InlineData(typeof(System.Collections.IEnumerable), false)]
    [InlineData(typeof(int), false)]
    [InlineData(typeof(string), false)]
    public void OnlyTheCoreAncestorsAreSkipped(Type type, bool skipped) => Assert.Equal(skipped, CircuitJsonMetadata.IsAncestorOnly(type));
}
