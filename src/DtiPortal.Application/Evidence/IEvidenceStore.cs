namespace DtiPortal.Application.Evidence;

/// <summary>
/// Where evidence files live: a directory by default, an S3-compatible bucket by configuration (Evidence:Store).
/// Keys are opaque, made by the application only (never from a user's file name): <c>[a-z0-9/_-.]</c>, no "..".
/// Implementations stream: a write reads the source stream to its end in small buffers and never holds the file.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Writes the stream to the key (overwriting), reading it to its end. Returns the bytes written.
    /// If reading the source throws (too large, refused type, client gone), nothing is left under the key.</summary>
    Task<long> WriteAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>The stored bytes, or null when the key holds nothing.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default);

    /// <summary>Removes the key; no error when it holds nothing.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Renames a temporary key to its final key once the upload has been checked (the commit step).</summary>
    Task MoveAsync(string fromKey, string toKey, CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);
}

/// <summary>Keys shared by every store.</summary>
public static class EvidenceKeys
{
    public const string TemporaryPrefix = "tmp/";

    public static string NewTemporary() => TemporaryPrefix + Guid.NewGuid().ToString("N");

    /// <summary>The final key of a file: by unit and month, with a random name (the user's file name is kept in the row only).</summary>
    public static string NewFinal(int unitId, DateTimeOffset at) => $"u{unitId}/{at:yyyy-MM}/{Guid.NewGuid():N}";

    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200 || key.StartsWith('/') || key.Contains("..", StringComparison.Ordinal)
            || key.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '/' or '-' or '_' or '.')))
            throw new ArgumentException($"Invalid evidence storage key '{key}'.", nameof(key));
    }
}
