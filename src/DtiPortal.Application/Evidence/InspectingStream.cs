using System.Security.Cryptography;

namespace DtiPortal.Application.Evidence;

/// <summary>The upload went past Evidence:MaxFileSizeMB; thrown while streaming, as soon as the limit is passed.</summary>
public sealed class EvidenceTooLargeException(long limit) : IOException($"Evidence larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>The first bytes already show a file that is never accepted (an executable); thrown while streaming.</summary>
public sealed class EvidenceTypeRefusedException(string reason) : IOException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// A read-only pass-through over the upload's body: every byte read on its way to storage goes through the SHA-256
/// hasher, the size counter and the type sniffer. Reading fails as soon as the size limit is passed or the type is ruled
/// out, so the store stops writing (and removes what it wrote) without reading the rest.
/// </summary>
internal sealed class InspectingStream(Stream inner, long maxBytes, FileTypeSniffer sniffer, IncrementalHash hash) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Inspect(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..n]);
    }

    private int Inspect(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0;
        BytesRead += data.Length;
        if (BytesRead > maxBytes) throw new EvidenceTooLargeException(maxBytes);
        hash.AppendData(data);
        sniffer.Append(data);
        if (sniffer.EarlyRefusal is { } why) throw new EvidenceTypeRefusedException(why);
        return data.Length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
