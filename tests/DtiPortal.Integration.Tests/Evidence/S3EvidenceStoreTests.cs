using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using DtiPortal.Application.Evidence;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>Issue 16 §8: <see cref="S3EvidenceStore"/> against a real S3-protocol server (<see cref="S3rverFixture"/>).</summary>
public class S3EvidenceStoreTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task SmallFile_WriteMoveReadDelete_RoundTrips()
    {
        using var store = new S3EvidenceStore(s3.Options());
        var bytes = SampleFiles.PdfOfSize(300_000);
        var (tmp, final) = Keys();
        Assert.Equal(bytes.Length, await store.WriteAsync(tmp, new MemoryStream(bytes)));
        await store.MoveAsync(tmp, final);
        Assert.False(await store.ExistsAsync(tmp));
        Assert.True(await store.ExistsAsync(final));
        Assert.Equal(bytes, await ReadAllAsync(store, final));
        await store.DeleteAsync(final);
        Assert.False(await store.ExistsAsync(final));
        Assert.Null(await store.OpenReadAsync(final));
    }

    [Fact]
    public async Task LargeFile_StreamsUpInPartsFromAStreamOfUnknownLength_AndComesBackIdentical()
    {
        using var store = new S3EvidenceStore(s3.Options());
        var bytes = SampleFiles.PdfOfSize(12 * 1024 * 1024 + 12_345); // three parts of 5 MB (the last one short)
        var (tmp, _) = Keys();
        Assert.Equal(bytes.Length, await store.WriteAsync(tmp, new TrickleStream(bytes, failAfter: null)));
        await using (var read = await store.OpenReadAsync(tmp))
        {
            Assert.NotNull(read);
            Assert.Equal(bytes.Length, read.Length);
            Assert.Equal(SHA256.HashData(bytes), await SHA256.HashDataAsync(read));
        }
        await store.DeleteAsync(tmp);
    }

    [Fact]
    public async Task Write_WhenTheSourceFailsInTheMiddleOfAMultipartUpload_LeavesNoObject()
    {
        using var store = new S3EvidenceStore(s3.Options());
        var (tmp, _) = Keys();
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(tmp, new TrickleStream(SampleFiles.PdfOfSize(11 * 1024 * 1024), failAfter: 7 * 1024 * 1024)));
        Assert.False(await store.ExistsAsync(tmp));
        Assert.Null(await store.OpenReadAsync(tmp));
    }

    [Fact]
    public async Task MissingObject_ReadsAsNull_DoesNotExist_AndDeletesQuietly()
    {
        using var store = new S3EvidenceStore(s3.Options());
        var (_, final) = Keys();
        Assert.Null(await store.OpenReadAsync(final));
        Assert.False(await store.ExistsAsync(final));
        await store.DeleteAsync(final); // deleting nothing is fine
    }

    /// <summary>s3rver 3.7.1 knows one key pair and refuses any other access key id; it does not verify SigV4 signatures, so a
    /// wrong secret with its access key id cannot be told apart here (real S3 answers SignatureDoesNotMatch, also a 403).</summary>
    [Fact]
    public async Task WrongCredentials_AreRefusedByTheServer_NotTakenForAMissingFile()
    {
        using (var good = new S3EvidenceStore(s3.Options()))
            await good.WriteAsync("tmp/credentials-check", new MemoryStream(SampleFiles.Pdf()));
        using var store = new S3EvidenceStore(s3.Options(accessKey: "NOBODY", secretKey: "sai-mat-khau"));
        var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.WriteAsync("tmp/should-not-exist", new MemoryStream(SampleFiles.Pdf())));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("InvalidAccessKeyId", write.ErrorCode);
        // A read with bad credentials is an error, never "no such file" (which the app would show as a missing document).
        var read = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.OpenReadAsync("tmp/credentials-check"));
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var exists = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.ExistsAsync("tmp/credentials-check"));
        Assert.Equal(HttpStatusCode.Forbidden, exists.StatusCode);

        using var check = new S3EvidenceStore(s3.Options());
        Assert.False(await check.ExistsAsync("tmp/should-not-exist"));
        Assert.True(await check.ExistsAsync("tmp/credentials-check"));
    }

    private static (string Temporary, string Final) Keys()
    {
        var id = Guid.NewGuid().ToString("N");
        return ($"tmp/{id}", $"u1/2024-05/{id}");
    }

    private static async Task<byte[]> ReadAllAsync(IEvidenceStore store, string key)
    {
        await using var read = await store.OpenReadAsync(key);
        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A non-seekable source of unknown length that hands out at most 64 KB per read, and can fail part-way.</summary>
    private sealed class TrickleStream(byte[] bytes, int? failAfter) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (failAfter is { } limit && _position >= limit) throw new IOException("the client went away");
            var n = Math.Min(Math.Min(count, 64 * 1024), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
