using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;

namespace DtiPortal.Application;

/// <summary>
/// What a use case answers when the user may be refused (ADR-010): <see cref="Ok"/>, or a Vietnamese
/// <see cref="Error"/> to show as it is; <see cref="Conflict"/> when someone else changed the thing first (reload and
/// look again). Expected refusals are results; exceptions are for what nobody expects (the database is down, a bug).
/// </summary>
public record Result(bool Ok, string? Error = null, bool Conflict = false)
{
    public static Result Success() => new(true);

    public static Result Fail(string message) => new(false, message);

    public static Result Conflicted(string message) => new(false, message, true);

    /// <summary>
    /// Runs a use case and turns the refusals that deep layers still throw (<see cref="AccessDeniedException"/> from the
    /// scope guard, <see cref="DomainException"/> from an entity guarding its rules) into a refused result, so pages
    /// and the API see one contract. Anything else is unexpected and propagates.
    /// </summary>
    public static async Task<T> Refusals<T>(Func<Task<T>> run, Func<string, T> refuse)
    {
        try { return await run(); }
        catch (AccessDeniedException ex) { return refuse(ex.Message); }
        catch (DomainException ex) { return refuse(ex.Message); }
    }

    public static Task<Result> Refusals(Func<Task<Result>> run) => Refusals(run, Fail);
}

/// <summary>A <see cref="Result"/> that carries a value when it is Ok.</summary>
public sealed record Result<T>(bool Ok, T? Value, string? Error = null, bool Conflict = false) : Result(Ok, Error, Conflict)
{
    public static Result<T> Success(T value) => new(true, value);

    public static new Result<T> Fail(string message) => new(false, default, message);

    public static new Result<T> Conflicted(string message) => new(false, default, message, true);

    public static Task<Result<T>> Refusals(Func<Task<Result<T>>> run) => Refusals(run, Fail);
}
