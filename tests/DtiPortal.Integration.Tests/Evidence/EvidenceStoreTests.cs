using DtiPortal.Application.Evidence;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>
/// The store contract for the directory store. <see cref="S3EvidenceStore"/> runs against a real S3-protocol server
/// (s3rver from npm, started by the tests themselves) in <see cref="S3EvidenceStoreTests"/>.
/// </summary>
public class EvidenceStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dti-evidence-store-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Stores() => ["Directory"];

    private IEvidenceStore Store(string kind) => EvidenceServices.CreateStore(new EvidenceOptions { Store = kind, Directory = _root }, "/nonexistent");

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Store_WriteMoveReadDelete_RoundTrips(string kind)
    {
        var store = Store(kind);
        var bytes = SampleFiles.PdfOfSize(300_000);
        Assert.Equal(bytes.Length, await store.WriteAsync("tmp/abc", new MemoryStream(bytes)));
        await store.MoveAsync("tmp/abc", "u1/2024-05/abc");
        Assert.False(await store.ExistsAsync("tmp/abc"));
        await using (var read = await store.OpenReadAsync("u1/2024-05/abc"))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        await store.DeleteAsync("u1/2024-05/abc");
        Assert.Null(await store.OpenReadAsync("u1/2024-05/abc"));
        await store.DeleteAsync("u1/2024-05/abc"); // deleting nothing is fine
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Store_WhenSourceFailsMidway_LeavesNothing(string kind)
    {
        var store = Store(kind);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("tmp/broken", new FailingStream(200_000)));
        Assert.False(await store.ExistsAsync("tmp/broken"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("u1/Tên Tệp.pdf")]
    [InlineData("")]
    public async Task Store_WhenKeyIsNotOneTheAppMakes_Throws(string key)
    {
        var store = Store("Directory");
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
    }

    [Fact]
    public void CreateStore_WhenRelative_ResolvesUnderTheContentRoot()
    {
        var store = (DirectoryEvidenceStore)EvidenceServices.CreateStore(new EvidenceOptions(), "/srv/dti");
        Assert.Equal("/srv/dti/storage/evidence", store.Root);
    }

    [Fact]
    public void CreateStore_WhenS3WithoutBucket_SaysWhatToSet()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => EvidenceServices.CreateStore(new EvidenceOptions { Store = "S3" }, "/"));
        Assert.Contains("Evidence:S3:Bucket", ex.Message);
        Assert.IsType<S3EvidenceStore>(EvidenceServices.CreateStore(new EvidenceOptions
        {
            Store = "S3", S3 = { Bucket = "dti", ServiceUrl = "http://127.0.0.1:9000", AccessKey = "a", SecretKey = "b" },
        }, "/"));
        Assert.Throws<InvalidOperationException>(() => EvidenceServices.CreateStore(new EvidenceOptions { Store = "Ftp" }, "/"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Gives some bytes, then fails as a dropped connection would.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _given;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _given; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= failAfter) throw new IOException("connection reset");
            var n = Math.Min(count, 8192);
            _given += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
