using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.Application.Notifications;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Notifications;

public sealed partial class EmailDispatcherTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), "dti-mail-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_pickup)) Directory.Delete(_pickup, recursive: true);
    }

    /// <summary>A dispatcher on this test's database with its own e-mail settings (the app's services otherwise).</summary>
    private async Task<int> DispatchAsync(EmailSettings settings)
    {
        await using var services = TestDatabase.BuildServicesWith(db.ConnectionString, s => s.AddSingleton(settings));
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EmailDispatcher>().DispatchOnceAsync();
    }

    private EmailSettings Pickup() => new() { Mode = EmailMode.Pickup, PickupDirectory = _pickup };

    private async Task<List<long>> EnqueueAsync(params (string To, string Subject, string Body)[] mails)
    {
        await using var owner = db.OwnerContext();
        var rows = mails.Select(m => new EmailMessage(m.To, "Nguyễn Thị Hoa", m.Subject, m.Body, DateTimeOffset.UtcNow.AddSeconds(-1))).ToList();
        owner.EmailOutbox.AddRange(rows);
        await owner.SaveChangesAsync();
        return [.. rows.Select(r => r.Id)];
    }

    private async Task<EmailMessage> RowAsync(long id)
    {
        await using var owner = db.OwnerContext();
        return await owner.EmailOutbox.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    [Fact]
    public async Task DispatchOnce_InPickupMode_WritesEmlFilesWithTheVietnameseSubject_AndMarksThemSent()
    {
        const string subject = "Xã Lạc Đạo đã nộp bản đánh giá – Đợt đánh giá CĐS cấp xã năm 2024: nội dung dài để tiêu đề phải gấp dòng theo RFC 5322";
        const string body = "Kính gửi Nguyễn Thị Hoa,\n\nBản đánh giá của Xã Lạc Đạo đang chờ thẩm tra cấp huyện.\n\nXem chi tiết: https://dti.hungyen.gov.vn/tham-dinh/12\n";
        var ids = await EnqueueAsync(("hoa@example.vn", subject, body), ("nam@example.vn", "Tiêu đề thứ hai – ổn định", "Nội dung thứ hai"));

        var sent = await DispatchAsync(Pickup());

        Assert.True(sent >= 2, $"sent {sent}");
        var files = Directory.GetFiles(_pickup, "*.eml").Select(f => Eml.Read(File.ReadAllText(f))).ToList();
        var first = Assert.Single(files, f => f.To.Contains("hoa@example.vn"));
        Assert.Equal(subject, first.Subject);
        Assert.Equal(body.TrimEnd('\n'), first.Body.Replace("\r\n", "\n"));
        Assert.Contains("Nguyễn Thị Hoa", first.To);
        Assert.Contains("no-reply@dtiportal.local", first.From);
        Assert.Equal("Tiêu đề thứ hai – ổn định", Assert.Single(files, f => f.To.Contains("nam@example.vn")).Subject);
        foreach (var id in ids)
        {
            var row = await RowAsync(id);
            Assert.NotNull(row.SentAt);
            Assert.Equal(1, row.Attempts);
            Assert.Null(row.LastError);
        }

        Assert.Equal(0, await DispatchAsync(Pickup())); // nothing due any more
        Assert.Equal(files.Count, Directory.GetFiles(_pickup, "*.eml").Length);
    }

    [Fact]
    public async Task DispatchOnce_WhenSmtpIsUnreachable_RecordsTheErrorAndRetriesLater_WithoutThrowing()
    {
        var port = UnusedPort();
        var id = (await EnqueueAsync(("hoa@example.vn", "Thư không gửi được", "Nội dung")))[0];
        var before = DateTimeOffset.UtcNow;

        var sent = await DispatchAsync(new EmailSettings
        {
            Mode = EmailMode.Smtp, Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, EnableSsl = false, TimeoutSeconds = 5 },
        });

        Assert.Equal(0, sent);
        var row = await RowAsync(id);
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(row.LastError));
        // First retry after 2 minutes (EmailMessage.MarkFailed), not the 15-minute claim lease.
        Assert.InRange(row.NextAttemptAt, before.AddMinutes(1.9), DateTimeOffset.UtcNow.AddMinutes(2.1));

        Assert.Equal(0, await DispatchAsync(Pickup())); // not due yet: left alone
        Assert.Equal(1, (await RowAsync(id)).Attempts);
    }

    [Fact]
    public async Task DispatchOnce_OnTwoInstancesAtOnce_SendsEachMessageOnce()
    {
        var ids = await EnqueueAsync([.. Enumerable.Range(1, 45).Select(i => ($"u{i}@example.vn", $"Thư song song số {i}", "Nội dung"))]);
        var settings = Pickup();
        settings.BatchSize = 5;

        var counts = await Task.WhenAll(DispatchAsync(settings), DispatchAsync(settings), DispatchAsync(settings));

        Assert.True(counts.Sum() >= ids.Count, string.Join(",", counts));
        var subjects = Directory.GetFiles(_pickup, "*.eml").Select(f => Eml.Read(File.ReadAllText(f)).Subject)
            .Where(s => s.StartsWith("Thư song song", StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Count, subjects.Count);
        Assert.Equal(ids.Count, subjects.Distinct().Count());
        foreach (var id in ids) Assert.Equal(1, (await RowAsync(id)).Attempts);
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Just enough of RFC 5322/2047/2045 to read back what System.Net.Mail wrote.</summary>
    private sealed partial record Eml(string From, string To, string Subject, string Body)
    {
        public static Eml Read(string text)
        {
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = UnfoldRegex().Replace(text[..split], " ");
            var headers = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var raw = text[(split + 4)..];
            var body = headers.GetValueOrDefault("Content-Transfer-Encoding", "").ToLowerInvariant() switch
            {
                "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(raw.Where(c => !char.IsWhiteSpace(c))))),
                "quoted-printable" => Encoding.UTF8.GetString(QuotedPrintable(raw.Replace("=\r\n", ""), underscoreIsSpace: false)),
                _ => raw,
            };
            return new Eml(Decode(headers["From"]), Decode(headers["To"]), Decode(headers["Subject"]), body.TrimEnd('\r', '\n'));
        }

        /// <summary>Encoded words; adjacent ones are joined before decoding, as a character may be split between them.</summary>
        private static string Decode(string value)
        {
            value = BetweenWordsRegex().Replace(value, "?==?");
            return WordsRegex().Replace(value, m =>
            {
                var bytes = new List<byte>();
                foreach (Match w in WordRegex().Matches(m.Value))
                {
                    var data = w.Groups[2].Value;
                    bytes.AddRange(w.Groups[1].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                        ? Convert.FromBase64String(data)
                        : QuotedPrintable(data, underscoreIsSpace: true));
                }
                return Encoding.UTF8.GetString([.. bytes]);
            });
        }

        private static byte[] QuotedPrintable(string s, bool underscoreIsSpace)
        {
            var bytes = new List<byte>();
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '=' && i + 2 < s.Length) { bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16)); i += 2; }
                else if (s[i] == '_' && underscoreIsSpace) bytes.Add((byte)' ');
                else bytes.Add((byte)s[i]);
            }
            return [.. bytes];
        }

        [GeneratedRegex(@"\r\n[ \t]+")] private static partial Regex UnfoldRegex();
        [GeneratedRegex(@"\?=\s+=\?")] private static partial Regex BetweenWordsRegex();
        [GeneratedRegex(@"(=\?[^?]+\?[BbQq]\?[^?]*\?=)+")] private static partial Regex WordsRegex();
        [GeneratedRegex(@"=\?[^?]+\?([BbQq])\?([^?]*)\?=")] private static partial Regex WordRegex();
    }
}
