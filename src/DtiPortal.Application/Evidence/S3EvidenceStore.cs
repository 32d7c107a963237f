using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DtiPortal.Application.Evidence;

/// <summary>
/// Evidence files in an S3-compatible bucket (Evidence:Store = S3). The upload's length is not known in advance (it is
/// checked while it streams), so a file larger than one part goes up as a multipart upload, one part (5 MB by default) in
/// memory at a time; a failed write aborts the upload so nothing is left in the bucket.
/// </summary>
public sealed class S3EvidenceStore : IEvidenceStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly int _partSize;
    private const string CopySourceHeader = "x-amz-copy-source";

    public S3EvidenceStore(EvidenceOptions.S3Options options)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket))
            throw new InvalidOperationException("Evidence:S3:Bucket chưa được cấu hình (Evidence:Store = S3).");
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // S3-compatible servers often lack the newer default integrity checksums (trailing CRC32 on every upload).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl)) config.ServiceURL = options.ServiceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        var client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        // The SDK percent-encodes the whole "/bucket/key" of a copy (MoveAsync), slashes included; some S3-compatible servers
        // (s3rver, which the tests run) decode it without turning %2F back into "/", and find no such bucket. Evidence keys are
        // only [a-z0-9/-] (EvidenceKeys.Validate), so the plain form is the same value, and every server reads it.
        client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs w && w.Headers.TryGetValue(CopySourceHeader, out var source))
                w.Headers[CopySourceHeader] = Uri.UnescapeDataString(source);
        };
        _s3 = client;
        _bucket = options.Bucket;
        _partSize = Math.Max(5, options.PartSizeMB) * 1024 * 1024;
    }

    public async Task<long> WriteAsync(string key, Stream content, CancellationToken ct = default)
    {
        EvidenceKeys.Validate(key);
        var buffer = ArrayPool<byte>.Shared.Rent(_partSize);
        string? uploadId = null;
        try
        {
            var filled = await FillAsync(content, buffer, ct);
            if (filled < _partSize)
            {
                // Small file: one request.
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                // The part is in memory, so its hash is signed up front: no aws-chunked body, which some S3-compatible servers store as is.
                await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, ct);
                return filled;
            }
            uploadId = (await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct)).UploadId;
            var parts = new List<PartETag>();
            long total = 0;
            while (filled > 0)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = key, UploadId = uploadId, PartNumber = parts.Count + 1, InputStream = body, PartSize = filled,
                    UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                total += filled;
                filled = await FillAsync(content, buffer, ct);
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = parts,
            }, ct);
            return total;
        }
        catch
        {
            if (uploadId is not null)
            {
                // The parts are never completed into an object either way. A server that cannot abort (s3rver has no
                // AbortMultipartUpload; a bucket lifecycle rule removes stale parts) must not hide why the write failed.
                try
                {
                    await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
                }
                catch (AmazonS3Exception) { }
            }
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < _partSize)
        {
            var n = await content.ReadAsync(buffer.AsMemory(filled, _partSize - filled), ct);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        EvidenceKeys.Validate(key);
        try
        {
            var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, ct);
            return new ResponseOwningStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        EvidenceKeys.Validate(key);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, ct);
    }

    public async Task MoveAsync(string fromKey, string toKey, CancellationToken ct = default)
    {
        EvidenceKeys.Validate(fromKey);
        EvidenceKeys.Validate(toKey);
        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket, SourceKey = fromKey, DestinationBucket = _bucket, DestinationKey = toKey,
        }, ct);
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = fromKey }, ct);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        EvidenceKeys.Validate(key);
        try
        {
            await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, ct);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>The object's body, disposing the response (and its connection) with it.</summary>
    private sealed class ResponseOwningStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
