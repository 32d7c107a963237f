using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Integration.Tests.Cli;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// Issue 8: deploy/backup/dti-backup.sh and dti-restore.sh run for real (bash, pg_dump/pg_restore of the server's version)
/// on a database holding the demo data, evidence files and an approved result with its PDFs; the backup is restored into
/// an empty database and compared with the original through the app: `dti scores export --all`, the evidence store, RLS
/// as dti_app, the migration history. The fixture takes one backup; each test restores what it needs.
/// </summary>
public sealed class BackupRestoreFixture : IAsyncLifetime
{
    public TestDatabase Source { get; } = new();
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "dti-backup-test-" + Guid.NewGuid().ToString("N")[..8]);
    public string SourceEvidence => Path.Combine(Root, "evidence-source");
    public string Backups => Path.Combine(Root, "backups");
    public string Backup { get; private set; } = "";
    public string SourceScores { get; private set; } = "";
    /// <summary>Storage key → bytes of every file a row points at, as written.</summary>
    public Dictionary<string, byte[]> Files { get; } = [];
    public int ApprovedAssessmentId { get; private set; }
    public List<string> Databases { get; } = [];

    public static string Repo { get; } = FindRepo();
    public static string Scripts => Path.Combine(Repo, "deploy", "backup");

    public async Task InitializeAsync()
    {
        await Source.InitializeAsync();
        Directory.CreateDirectory(SourceEvidence);
        using (var scope = Source.ScopeAs(FixedUnitScope.System))
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
        await AddEvidenceAndApprovalAsync();
        SourceScores = await ExportScoresAsync(Source.ConnectionString);

        var run = await RunScriptAsync("dti-backup.sh", Source.ConnectionString, "--dest", Backups, "--evidence-dir", SourceEvidence);
        Assert.True(run.Code == 0, run.Output);
        Backup = Assert.Single(Directory.GetDirectories(Backups, "dti-backup-*"));
    }

    /// <summary>Files through the app's evidence store and rows as UploadEvidence commits them (file first, then the row), and
    /// one approved assessment with its recognised result and decision PDFs — as the tables' owner, arranging data.</summary>
    private async Task AddEvidenceAndApprovalAsync()
    {
        var store = new DirectoryEvidenceStore(SourceEvidence);
        await using var db = Source.OwnerContext();
        var assessments = await (from a in db.Assessments join u in db.Units on a.UnitId equals u.Id
                                 where a.Round!.Year == 2024 && (u.Code == "33-VL-CDA" || u.Code == "33-VL-LDA" || u.Code == "33-VL-NQU")
                                 select new { a.Id, a.UnitId, a.RoundId, u.Code }).ToListAsync();
        Assert.Equal(3, assessments.Count);
        var i = 0;
        foreach (var a in assessments)
        {
            foreach (var criterion in new[] { "1.1", "2.1" })
            {
                var bytes = Encoding.UTF8.GetBytes($"%PDF-1.4\n% Quyết định {++i}/QĐ-UBND của {a.Code}, tiêu chí {criterion}\n%%EOF\n");
                var temporary = EvidenceKeys.NewTemporary();
                await store.WriteAsync(temporary, new MemoryStream(bytes));
                var key = EvidenceKeys.NewFinal(a.UnitId, DateTimeOffset.UtcNow);
                await store.MoveAsync(temporary, key);
                db.EvidenceFiles.Add(EvidenceFile.ForFile(a.UnitId, a.Id, criterion, key, $"quyet-dinh-{i}.pdf", "application/pdf", bytes.Length,
                    Convert.ToHexStringLower(SHA256.HashData(bytes)), DocumentInfo.None, DateTimeOffset.UtcNow, "xa.test"));
                Files[key] = bytes;
            }
        }
        // An upload in progress (tmp/) is not part of a backup.
        await store.WriteAsync(EvidenceKeys.NewTemporary(), new MemoryStream("dang tai len"u8.ToArray()));
        await db.SaveChangesAsync();

        // Chỉ Đạo's assessment approved: the recognised result as approval computes it, and its two PDFs.
        var approved = assessments.Single(a => a.Code == "33-VL-CDA");
        ApprovedAssessmentId = approved.Id;
        var round = await db.AssessmentRounds.AsNoTracking().SingleAsync(r => r.Id == approved.RoundId);
        var set = await Source.Get<RoundSetCache>().GetAsync(db, round.CriteriaSetVersionId, default);
        var cohort = await Source.AsSystem<ReviewScoring>().LoadAsync(round.Id, [approved.Id], set, default);
        var computed = Recognition.Compute(set, cohort, approved.Id, round.HasDistrictTier, frozenOthers: null, new Dictionary<string, object?>());
        var snapshot = new ScoreSnapshot(Guid.NewGuid(), round.Id, DateTimeOffset.UtcNow, cohort.Ids.Count, "{}");
        db.ScoreSnapshots.Add(snapshot);
        var result = new RecognisedResult(approved.Id, approved.UnitId, 1, snapshot.Id, computed.Self.Total, computed.Appraised.Total, computed.Achieved.Total,
            computed.Self.Level, computed.Achieved.Level, Recognition.RowsJson(computed.Rows), "01/2024/QĐ-CĐS", DateTimeOffset.UtcNow, null, "Đỗ Quang Vinh", null);
        var keys = new List<string>();
        foreach (var name in new[] { "bien-ban", "quyet-dinh" })
        {
            var key = $"documents/a{approved.Id}/v1/{name}.pdf";
            var bytes = Encoding.UTF8.GetBytes($"%PDF-1.4\n% {name} {approved.Code}\n%%EOF\n");
            await store.WriteAsync(key, new MemoryStream(bytes));
            Files[key] = bytes;
            keys.Add(key);
        }
        result.AttachDocuments(keys[0], keys[1], null);
        db.RecognisedResults.Add(result);
        await db.SaveChangesAsync();

        // The scanned decision a criteria set version was issued by (the studio stores it beside the evidence).
        DecisionDocumentKey = $"criteria/d{Guid.NewGuid():N}/{Guid.NewGuid():N}.pdf";
        var decision = Encoding.UTF8.GetBytes("%PDF-1.4\n% Quyết định ban hành bộ chỉ số\n%%EOF\n");
        await store.WriteAsync(DecisionDocumentKey, new MemoryStream(decision));
        Files[DecisionDocumentKey] = decision;
        await db.Database.ExecuteSqlAsync($"""
            update criteria_set_versions set decision_document_key = {DecisionDocumentKey}, decision_document_name = 'quyet-dinh-ban-hanh.pdf'
            where id = {round.CriteriaSetVersionId}
            """);
        await db.Database.ExecuteSqlAsync($"""
            update assessments set status = 'Approved', recognised_total = {computed.Achieved.Total}, recognised_level = {computed.Achieved.Level}
            where id = {approved.Id}
            """);
    }

    public string DecisionDocumentKey { get; private set; } = "";

    public string NewDatabaseName()
    {
        var name = "dti_test_restore_" + Guid.NewGuid().ToString("N")[..10];
        Databases.Add(name);
        return name;
    }

    public static string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = database }.ConnectionString;

    public static async Task<string> ExportScoresAsync(string connectionString)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dti-scores-{Guid.NewGuid():N}.csv");
        try
        {
            var (code, stdout, stderr) = await DtiProcess.RunAsync(connectionString, "scores", "export", "--all", "--out", file);
            Assert.True(code == 0, stdout + stderr);
            return await File.ReadAllTextAsync(file);
        }
        finally { File.Delete(file); }
    }

    /// <summary>Runs one of deploy/backup's scripts with bash, configured like the app (ConnectionStrings__Dti only).</summary>
    public static Task<(int Code, string Output)> RunScriptAsync(string script, string connectionString, params string[] args) =>
        RunScriptWithAsync(script, connectionString, new Dictionary<string, string>(), args);

    public static async Task<(int Code, string Output)> RunScriptWithAsync(string script, string connectionString, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Scripts, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in new[] { "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGOPTIONS", "Evidence__Directory", "Evidence__Store" })
            psi.Environment.Remove(key);
        psi.Environment["ConnectionStrings__Dti"] = connectionString;
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    public static async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var conn = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pg_database where datname = @n", conn);
        cmd.Parameters.AddWithValue("n", name);
        return (long)(await cmd.ExecuteScalarAsync())! == 1;
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "backup", "dti-backup.sh"))) return dir.FullName;
        throw new InvalidOperationException("deploy/backup/dti-backup.sh not found above " + AppContext.BaseDirectory);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in Databases) await TestDatabase.DropAsync(name);
        await Source.DisposeAsync();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

public class BackupRestoreTests(BackupRestoreFixture fx) : IClassFixture<BackupRestoreFixture>
{
    [Fact]
    public void Backup_IsOneCompleteDirectory_WithTheDumpTheFilesAndAManifest()
    {
        Assert.Empty(Directory.GetDirectories(fx.Backups, ".incomplete-*"));
        foreach (var f in new[] { "database.dump", "evidence.tar", "evidence.sha256", "manifest.txt", "SHA256SUMS" })
            Assert.True(File.Exists(Path.Combine(fx.Backup, f)), f);
        var manifest = File.ReadAllLines(Path.Combine(fx.Backup, "manifest.txt")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var latest = typeof(DtiDbContext).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().FirstOrDefault()?.Id)
            .OfType<string>().Max(StringComparer.Ordinal);
        Assert.Equal(latest, manifest["latest_migration"]);
        Assert.Equal(fx.Files.Count.ToString(), manifest["evidence_files"]); // the upload in progress (tmp/) is left out
        Assert.Equal(fx.Files.Count.ToString(), manifest["evidence_referenced"]);
        Assert.Equal("directory", manifest["evidence_store"]);
        var listed = File.ReadAllLines(Path.Combine(fx.Backup, "evidence.sha256"));
        foreach (var (key, bytes) in fx.Files)
            Assert.Contains($"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  ./{key}", listed);
    }

    [Fact]
    public async Task Restore_IntoAnEmptyDatabase_GivesTheSameScoresFilesRowSecurityAndSchema()
    {
        var name = fx.NewDatabaseName();
        var evidence = Path.Combine(fx.Root, "evidence-" + name);
        var cs = BackupRestoreFixture.ConnectionStringOf(name);
        var run = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", cs, "--evidence-dir", evidence, fx.Backup);
        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("dti migrate", run.Output);

        // Scores: byte for byte the original's, and not trivially so.
        var restored = await BackupRestoreFixture.ExportScoresAsync(cs);
        Assert.Equal(fx.SourceScores, restored);
        var rows = restored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.True(rows.Count(r => r[6] == "self" && decimal.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture) > 500) >= 4, restored);
        // The arranged approval in the 2024 round; the demo data's finished 2023 round brings its seven published results.
        Assert.Equal(7, rows.Count(r => r[6] == "recognised" && r[1] == "2023" && r[5] == "Published"));
        var recognised = Assert.Single(rows, r => r[6] == "recognised" && r[1] == "2024");
        Assert.Equal("33-VL-CDA", recognised[3]);
        Assert.Equal("Approved", recognised[5]);
        Assert.True(decimal.Parse(recognised[7], System.Globalization.CultureInfo.InvariantCulture) > 500);

        await using var services = TestDatabase.BuildServices(cs);
        // The migration history is the app's: nothing pending.
        await using (var owner = Database.CreateOwnerContext(services))
        {
            Assert.Empty(await owner.Database.GetPendingMigrationsAsync());
            Assert.Equal(owner.Database.GetMigrations(), await owner.Database.GetAppliedMigrationsAsync());

            // Every file a restored row points at opens through the app's evidence store with the original bytes.
            var store = new DirectoryEvidenceStore(evidence);
            var keys = await owner.EvidenceFiles.Where(e => e.StorageKey != null).Select(e => e.StorageKey!).ToListAsync();
            keys.AddRange(await owner.RecognisedResults.Where(r => r.MinutesKey != null).Select(r => r.MinutesKey!).ToListAsync());
            keys.AddRange(await owner.RecognisedResults.Where(r => r.DecisionKey != null).Select(r => r.DecisionKey!).ToListAsync());
            keys.AddRange(await owner.CriteriaSetVersions.Where(v => v.DecisionDocumentKey != null).Select(v => v.DecisionDocumentKey!).ToListAsync());
            Assert.Equal(fx.Files.Keys.Order(), keys.Order());
            foreach (var key in keys)
            {
                await using var stream = await store.OpenReadAsync(key);
                Assert.NotNull(stream);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                Assert.Equal(fx.Files[key], copy.ToArray());
            }
            Assert.False(Directory.Exists(Path.Combine(evidence, "tmp")));
        }

        // Grants, row-level security and its policies, default privileges: as in the original.
        Assert.Equal(await SecurityCatalogAsync(fx.Source.ConnectionString), await SecurityCatalogAsync(cs));

        // RLS holds as dti_app: a commune's scope sees its own rows only — through the app, and in raw SQL as the role.
        int lacDao;
        await using (var owner = Database.CreateOwnerContext(services))
            lacDao = await owner.Units.Where(u => u.Code == "33-VL-LDA").Select(u => u.Id).SingleAsync();
        var officer = new FixedUnitScope("xa-lacdao", "xa.lacdao", false, new HashSet<int> { lacDao }, new HashSet<string> { Roles.CommuneOfficer }, "127.0.0.1", lacDao);
        using (var scope = services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = officer;
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();
            Assert.Equal(new[] { lacDao }, await db.Assessments.Select(a => a.UnitId).Distinct().ToListAsync());
            Assert.Equal(new[] { lacDao }, await db.EvidenceFiles.IgnoreQueryFilters().Select(e => e.UnitId).Distinct().ToListAsync());
        }
        long ownAssessments, ownEvidence;
        await using (var owner = Database.CreateOwnerContext(services))
        {
            ownAssessments = await owner.Assessments.LongCountAsync(a => a.UnitId == lacDao);
            ownEvidence = await owner.EvidenceFiles.LongCountAsync(e => e.UnitId == lacDao);
        }
        Assert.True(ownEvidence > 0);
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($$"""
                set role {{TenancySql.AppRole}};
                select set_config('dti.scope_units', '{{{lacDao}}}', false);
                select (select count(*) from assessments), (select count(*) from evidence_files),
                       (select count(*) from assessments where unit_id <> {{lacDao}}) + (select count(*) from evidence_files where unit_id <> {{lacDao}})
                       + (select count(*) from recognised_results where unit_id <> {{lacDao}}) + (select count(*) from assessment_values where unit_id <> {{lacDao}}),
                       current_user::text;
                """, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (reader.FieldCount != 4) Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal((ownAssessments, ownEvidence, 0L, TenancySql.AppRole),
                (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
        }

        // And the comparison can fail: one changed figure in the restored database shows in the export.
        await using (var owner = Database.CreateOwnerContext(services))
            await owner.Database.ExecuteSqlAsync($"update assessments set recognised_total = recognised_total + 1 where id = {fx.ApprovedAssessmentId}");
        var changed = await DtiPortal.Cli.ScoreExportCommands.ExportAsync(services, roundId: null, default); // in-process: the same code, no second start-up
        Assert.NotEqual(fx.SourceScores, changed);
        Assert.Equal(fx.SourceScores.Split('\n').Length, changed.Split('\n').Length);
    }

    [Fact]
    public async Task Restore_IntoADatabaseWithTables_IsRefused_AndChangesNothing()
    {
        await using var target = new TestDatabase(); // migrated: it has the app's tables
        await target.InitializeAsync();
        var before = await FingerprintAsync(target.ConnectionString);
        var evidence = Path.Combine(fx.Root, "evidence-refused");

        var run = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", target.ConnectionString, "--evidence-dir", evidence, fx.Backup);

        Assert.Equal(5, run.Code);
        Assert.Contains("không trống", run.Output);
        Assert.Contains("Nothing was changed", run.Output);
        Assert.Equal(before, await FingerprintAsync(target.ConnectionString));
        Assert.False(Directory.Exists(evidence));
    }

    [Theory]
    [InlineData("database.dump", "Mã băm không khớp")]
    [InlineData("evidence.tar", "Mã băm không khớp")]
    [InlineData("manifest.txt", "Mã băm không khớp")]
    public async Task Restore_OfADamagedBackup_IsRefusedBeforeTouchingTheTarget(string file, string message)
    {
        var copy = Path.Combine(fx.Root, "damaged-" + Guid.NewGuid().ToString("N")[..6], Path.GetFileName(fx.Backup));
        CopyDirectory(fx.Backup, copy);
        var path = Path.Combine(copy, file);
        var length = new FileInfo(path).Length;
        await using (var s = new FileStream(path, FileMode.Open)) s.SetLength(length / 2); // truncated, as by a full disk or a broken copy
        var name = fx.NewDatabaseName();
        var evidence = Path.Combine(fx.Root, "evidence-" + name);

        var run = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", BackupRestoreFixture.ConnectionStringOf(name), "--evidence-dir", evidence, copy);

        Assert.Equal(4, run.Code);
        Assert.Contains("bị hỏng", run.Output);
        Assert.Contains(message, run.Output);
        Assert.Contains(file, run.Output);
        Assert.False(await BackupRestoreFixture.DatabaseExistsAsync(name));
        Assert.False(Directory.Exists(evidence));
    }

    /// <summary>Damage that SHA256SUMS does not show (it was written again after the damage): the deeper checks catch it.</summary>
    [Theory]
    [InlineData("evidence.sha256", "evidence.sha256")] // a file of the archive no longer has its recorded checksum
    [InlineData("database.dump", "database.dump")]     // a truncated dump whose table of contents still reads
    public async Task Restore_WhenAFileIsDamagedAndSha256SumsWasRewritten_IsRefused(string file, string named)
    {
        var copy = Path.Combine(fx.Root, "tampered-" + Guid.NewGuid().ToString("N")[..6], Path.GetFileName(fx.Backup));
        CopyDirectory(fx.Backup, copy);
        var path = Path.Combine(copy, file);
        if (file == "evidence.sha256")
        {
            var lines = File.ReadAllLines(path);
            lines[0] = new string('0', 64) + lines[0][64..];
            File.WriteAllLines(path, lines);
        }
        else
        {
            await using var s = new FileStream(path, FileMode.Open);
            s.SetLength(s.Length * 2 / 3);
        }
        var sums = File.ReadAllLines(Path.Combine(copy, "SHA256SUMS"))
            .Select(l => l.EndsWith("  " + file, StringComparison.Ordinal) ? $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}  {file}" : l).ToList();
        File.WriteAllLines(Path.Combine(copy, "SHA256SUMS"), sums);
        var name = fx.NewDatabaseName();

        var run = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", BackupRestoreFixture.ConnectionStringOf(name), "--evidence-dir",
            Path.Combine(fx.Root, "evidence-" + name), copy);

        Assert.Equal(4, run.Code);
        Assert.Contains("bị hỏng", run.Output);
        Assert.Contains(named, run.Output);
        Assert.False(await BackupRestoreFixture.DatabaseExistsAsync(name));
    }

    [Fact]
    public async Task Backup_WhenARowPointsAtAMissingFile_FailsAndLeavesNoBackup()
    {
        var evidence = Path.Combine(fx.Root, "evidence-partial");
        CopyDirectory(fx.SourceEvidence, evidence);
        var missing = fx.Files.Keys.First(k => k.StartsWith('u'));
        File.Delete(Path.Combine(evidence, missing));
        var dest = Path.Combine(fx.Root, "backups-failed");

        var run = await BackupRestoreFixture.RunScriptAsync("dti-backup.sh", fx.Source.ConnectionString, "--dest", dest, "--evidence-dir", evidence);

        Assert.Equal(1, run.Code);
        Assert.Contains(missing, run.Output);
        Assert.Contains("THẤT BẠI", run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(dest));
    }

    [Fact]
    public async Task Backup_WhenACriteriaSetsDecisionDocumentIsMissing_FailsAndNamesIt()
    {
        var evidence = Path.Combine(fx.Root, "evidence-no-decision");
        CopyDirectory(fx.SourceEvidence, evidence);
        File.Delete(Path.Combine(evidence, fx.DecisionDocumentKey));
        var dest = Path.Combine(fx.Root, "backups-no-decision");

        var run = await BackupRestoreFixture.RunScriptAsync("dti-backup.sh", fx.Source.ConnectionString, "--dest", dest, "--evidence-dir", evidence);

        Assert.Equal(1, run.Code);
        Assert.Contains(fx.DecisionDocumentKey, run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(dest));
    }

    [Fact]
    public async Task Restore_WithForce_OverADatabaseWithTheAppsTables_GivesTheSameScores()
    {
        var name = fx.NewDatabaseName();
        var cs = BackupRestoreFixture.ConnectionStringOf(name);
        await using var services = TestDatabase.BuildServices(cs);
        await Database.MigrateAsync(services); // the schema, no data: "not empty"
        var evidence = Path.Combine(fx.Root, "evidence-" + name);

        var run = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", cs, "--force", "--evidence-dir", evidence, fx.Backup);

        Assert.True(run.Code == 0, run.Output);
        Assert.Equal(fx.SourceScores, await DtiPortal.Cli.ScoreExportCommands.ExportAsync(services, roundId: null, default));
        await using var owner = Database.CreateOwnerContext(services);
        Assert.Empty(await owner.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Backup_WithEvidenceInS3_DumpsTheDatabaseOnly_AndSaysWhereTheFilesMustBeBackedUp()
    {
        var dest = Path.Combine(fx.Root, "backups-s3");
        var run = await BackupRestoreFixture.RunScriptWithAsync("dti-backup.sh", fx.Source.ConnectionString,
            new Dictionary<string, string> { ["Evidence__Store"] = "S3" }, "--dest", dest);

        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("aws s3 sync", run.Output);
        var backup = Assert.Single(Directory.GetDirectories(dest, "dti-backup-*"));
        Assert.Contains("evidence_store=s3", File.ReadAllLines(Path.Combine(backup, "manifest.txt")));
        Assert.False(File.Exists(Path.Combine(backup, "evidence.tar")));
        Assert.Equal(["database.dump", "manifest.txt"], File.ReadAllLines(Path.Combine(backup, "SHA256SUMS")).Select(l => l[66..]));
    }

    [Fact]
    public async Task Backup_WithKeep_RemovesOlderBackupsOfTheSameDatabaseOnly()
    {
        var dest = Path.Combine(fx.Root, "backups-keep");
        var oldOne = Directory.CreateDirectory(Path.Combine(dest, $"dti-backup-{fx.Source.Name}-20200101T000000Z")).FullName;
        await File.WriteAllTextAsync(Path.Combine(oldOne, "manifest.txt"), "format=dti-backup/1\n");
        var other = Directory.CreateDirectory(Path.Combine(dest, "dti-backup-another-20200101T000000Z")).FullName;
        await File.WriteAllTextAsync(Path.Combine(other, "manifest.txt"), "format=dti-backup/1\n");

        var run = await BackupRestoreFixture.RunScriptAsync("dti-backup.sh", fx.Source.ConnectionString, "--dest", dest, "--keep", "1",
            "--evidence-dir", fx.SourceEvidence);

        Assert.True(run.Code == 0, run.Output);
        Assert.False(Directory.Exists(oldOne));
        Assert.True(Directory.Exists(other));
        Assert.Single(Directory.GetDirectories(dest, $"dti-backup-{fx.Source.Name}-*"));
    }

    /// <summary>
    /// As in production (ADR-006): the scripts run as the tables' owner, not a superuser. Row-level security is forced on the
    /// owner too, so a dump that did not open its session with dti.scope_all would fail or miss rows; here the backup restored
    /// as that owner is backed up again by it and restored once more, and nothing is lost.
    /// </summary>
    [Fact]
    public async Task BackupAndRestore_AsTheOwnerWithoutSuperuser_KeepEveryRow()
    {
        const string role = "dti_backup_test_owner", password = "dti-backup-test";
        await using (var conn = new NpgsqlConnection(TestDatabase.ServerConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"""
                do $$ begin
                  if not exists (select 1 from pg_roles where rolname = '{role}') then
                    create role {role} login createdb nosuperuser nobypassrls password '{password}';
                  end if;
                exception when duplicate_object or unique_violation then null; -- created meanwhile by a parallel run
                end $$;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        string AsOwner(string database) => new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
            { Database = database, Username = role, Password = password }.ConnectionString;
        var first = fx.NewDatabaseName();
        var second = fx.NewDatabaseName();
        var dest = Path.Combine(fx.Root, "backups-owner");

        var restore1 = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", AsOwner(first), "--evidence-dir", Path.Combine(fx.Root, "ev-" + first), fx.Backup);
        Assert.True(restore1.Code == 0, restore1.Output);
        var backup = await BackupRestoreFixture.RunScriptAsync("dti-backup.sh", AsOwner(first), "--dest", dest, "--evidence-dir", Path.Combine(fx.Root, "ev-" + first));
        Assert.True(backup.Code == 0, backup.Output);
        var restore2 = await BackupRestoreFixture.RunScriptAsync("dti-restore.sh", AsOwner(second), "--evidence-dir", Path.Combine(fx.Root, "ev-" + second),
            Assert.Single(Directory.GetDirectories(dest, "dti-backup-*")));
        Assert.True(restore2.Code == 0, restore2.Output);

        var cs = BackupRestoreFixture.ConnectionStringOf(second);
        await using var services = TestDatabase.BuildServices(cs);
        Assert.Equal(fx.SourceScores, await DtiPortal.Cli.ScoreExportCommands.ExportAsync(services, roundId: null, default));
        Assert.Equal(await RowCountsAsync(fx.Source.ConnectionString), await RowCountsAsync(cs));
        await using var conn2 = new NpgsqlConnection(cs);
        await conn2.OpenAsync();
        await using var owners = new NpgsqlCommand($"select count(*) from pg_tables where schemaname = 'public' and tableowner <> '{role}'", conn2);
        Assert.Equal(0L, (long)(await owners.ExecuteScalarAsync())!);
    }

    /// <summary>Rows per table (as a superuser: every row), audit trail included.</summary>
    private static async Task<string> RowCountsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select tablename from pg_tables where schemaname = 'public' order by 1", conn))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var text = new StringBuilder();
        foreach (var t in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from \"{t}\"", conn);
            text.Append(t).Append('=').Append(await count.ExecuteScalarAsync()).Append('\n');
        }
        Assert.Contains("evidence_files=" + 6, text.ToString());
        return text.ToString();
    }

    /// <summary>What security the catalog holds: per table RLS enabled/forced and its ACL, the policies, the default privileges.</summary>
    private static async Task<string> SecurityCatalogAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var text = new StringBuilder();
        foreach (var sql in new[]
        {
            """
            select c.relname || ' ' || c.relkind::text || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity || ' ' || coalesce(c.relacl::text, '-')
            from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'S') order by 1
            """,
            "select tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies order by 1",
            "select defaclobjtype::text || ' ' || defaclacl::text from pg_default_acl order by 1",
            "select tgrelid::regclass::text || ' ' || tgname from pg_trigger where not tgisinternal order by 1",
            "select coalesce(nspacl::text, '-') from pg_namespace where nspname = 'public'",
        })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.Append(reader.GetString(0)).Append('\n');
        }
        Assert.Contains("tenancy", text.ToString());
        return text.ToString();
    }

    private static async Task<string> FingerprintAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select string_agg(c.relname, ',' order by c.relname) || '|' ||
                   (select count(*) from units) || '|' || (select count(*) from __ef_migrations)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
