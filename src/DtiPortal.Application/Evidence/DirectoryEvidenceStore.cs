namespace DtiPortal.Application.Evidence;

/// <summary>Evidence files as plain files under one folder (Evidence:Directory). Writes go to the key's path through a
/// small buffer; the folder is created on first use.</summary>
public sealed class DirectoryEvidenceStore : IEvidenceStore
{
    private const int BufferSize = 64 * 1024;

    public DirectoryEvidenceStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string PathOf(string key)
    {
        EvidenceKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Invalid evidence storage key '{key}'.", nameof(key));
        return path;
    }

    public async Task<long> WriteAsync(string key, Stream content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await content.CopyToAsync(file, BufferSize, ct);
            return file.Length;
        }
        catch
        {
            File.Delete(path); // never leave a partial file behind
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task MoveAsync(string fromKey, string toKey, CancellationToken ct = default)
    {
        var to = PathOf(toKey);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Move(PathOf(fromKey), to, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));
}
