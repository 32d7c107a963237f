using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.JSInterop;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// Issue 17: the JSON metadata every open page's circuit built for types nobody serializes.
/// <para>
/// Each circuit's <see cref="IJSRuntime"/> has serializer options of its own (its converters know the circuit), so the
/// metadata cache behind them is per circuit too. A JS interop argument is written by its runtime type, and before writing
/// a value whose runtime type differs from the declared one (<c>object</c>: every argument) the serializer looks for a
/// polymorphic configuration on each of its base types and interfaces — resolving and keeping full metadata for each. An
/// <c>int</c> argument (the framework passes a few when the circuit starts) brings in its thirty generic-math interfaces,
/// a string, an enum and a dictionary a dozen more: about 45 entries and 30 KB in every open page, used by nothing
/// (ADR-014, "Fifth step").
/// </para>
/// <para>
/// <see cref="AddLeanCircuitJsonMetadata"/> wraps the runtime's type-info resolver so that these ancestors — the core
/// <c>System</c> and <c>System.Numerics</c> interfaces, <see cref="ValueType"/>, <see cref="Enum"/>,
/// <see cref="ISerializable"/> and <see cref="IDeserializationCallback"/> — resolve to "no metadata", which is what the
/// search expects of a type without polymorphic configuration. No interop payload declares a value of one of these types;
/// collection interfaces, which a payload may declare, are resolved as before.
/// </para>
/// </summary>
public static class CircuitJsonMetadata
{
    /// <summary>Replaces the circuit's <see cref="IJSRuntime"/> registration by one that builds the same runtime and
    /// narrows its resolver before anything is serialized. Call after the interactive server components are added.</summary>
    public static IServiceCollection AddLeanCircuitJsonMetadata(this IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IJSRuntime) && !d.IsKeyedService);
        if (original is not { Lifetime: ServiceLifetime.Scoped }) return services;
        Func<IServiceProvider, object>? create = original switch
        {
            { ImplementationFactory: { } factory } => factory,
            { ImplementationType: { } type } => sp => ActivatorUtilities.CreateInstance(sp, type),
            _ => null,
        };
        if (create is null) return services;
        services.Remove(original);
        services.AddScoped(typeof(IJSRuntime), sp => Narrow(create(sp)));
        return services;
    }

    private static readonly PropertyInfo? OptionsProperty =
        typeof(JSRuntime).GetProperty("JsonSerializerOptions", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary>The runtime, its options' resolver wrapped while the options are still open to change (a runtime whose options
    /// are already in use, or a framework that no longer exposes them, is left as it is).</summary>
    internal static object Narrow(object runtime)
    {
        if (runtime is JSRuntime js && OptionsOf(js) is { IsReadOnly: false } options && options.TypeInfoResolver is not SkipAncestors)
            options.TypeInfoResolver = new SkipAncestors(options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        return runtime;
    }

    /// <summary>The options a runtime serializes interop payloads with (its protected <c>JsonSerializerOptions</c>).</summary>
    public static JsonSerializerOptions? OptionsOf(JSRuntime runtime) => OptionsProperty?.GetValue(runtime) as JsonSerializerOptions;

    /// <summary>True for the types the polymorphism search asks about and no payload declares.</summary>
    public static bool IsAncestorOnly(Type type) =>
        type == typeof(ValueType) || type == typeof(Enum) || type == typeof(ISerializable) || type == typeof(IDeserializationCallback)
        || (type.IsInterface && type.Namespace is "System" or "System.Numerics");

    internal sealed class SkipAncestors(IJsonTypeInfoResolver inner) : IJsonTypeInfoResolver
    {
        public IJsonTypeInfoResolver Inner { get; } = inner;

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
            IsAncestorOnly(type) ? null : Inner.GetTypeInfo(type, options);
    }
}
