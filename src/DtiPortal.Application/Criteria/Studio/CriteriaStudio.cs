using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Application.Data;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Criteria.Studio;

/// <summary>
/// The criteria-set studio's drafts (issue 14): start a draft (a copy of a stored version, an empty set, a YAML file, a
/// workbook), save it as the admin types, list, delete, attach the decision's PDF, publish. Only provincial admins (their
/// province's drafts) and system admins (national drafts, and any province's) may use it; row-level security hides a draft
/// from everyone else. Every step writes one audit entry.
/// </summary>
public sealed partial class CriteriaStudio(
    IDbContextFactory<DtiDbContext> dbFactory, AccessGuard guard, IUnitScope scope, SetOwnership ownership, IAuditLog audit,
    LoadCriteriaSet loader, CriteriaSetCache cache, IEvidenceStore store, TimeProvider clock)
{
    public const string Action = "Soạn bộ chỉ số";
    /// <summary>A draft's text is a criteria file: a few hundred kilobytes at most (the largest built-in set is under 100 kB).</summary>
    public const int MaxYamlBytes = 2 * 1024 * 1024;
    public const long MaxDecisionBytes = 20 * 1024 * 1024;
    private const string NotFound = "Không tìm thấy bản nháp này (đã bị xóa, đã công bố, hoặc không thuộc phạm vi quản lý của bạn).";

    public async Task<IReadOnlyList<DraftSummary>> ListAsync(CancellationToken ct = default)
    {
        await DemandAsync("Xem danh sách bản nháp", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from d in db.CriteriaSetDrafts.AsNoTracking()
                          join u in db.Units on d.UnitId equals (int?)u.Id into owners
                          from u in owners.DefaultIfEmpty()
                          orderby d.UpdatedAt descending
                          select new DraftSummary(d.Id, d.SetId, d.Version, d.Name, d.Origin, d.UnitId, u == null ? "Toàn quốc" : u.Name,
                              d.UpdatedAt, d.UpdatedBy, d.Revision)).ToListAsync(ct);
        return rows.Where(r => ownership.CanManage(r.OwnerUnitId)).ToList();
    }

    /// <summary>Every stored version the admin may copy: national sets and their own province's, newest version first.</summary>
    public async Task<IReadOnlyList<CopySource>> CopySourcesAsync(CancellationToken ct = default)
    {
        await DemandAsync("Xem danh sách bộ chỉ số để sao chép", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.CriteriaSetVersions.AsNoTracking()
            .OrderBy(v => v.SetId).ThenByDescending(v => v.Version)
            .Select(v => new CopySource(v.SetId, v.Version, v.Name, v.Level, v.IsBuiltIn, v.OwnerUnitId)).ToListAsync(ct);
        return rows.Where(r => ownership.CanUse(r.OwnerUnitId)).ToList();
    }

    public async Task<DraftDetail?> GetAsync(int draftId, CancellationToken ct = default)
    {
        await DemandAsync("Mở bản nháp", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.CriteriaSetDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null || !ownership.CanManage(draft.UnitId)) return null;
        var owner = draft.UnitId is { } u ? await db.Units.Where(x => x.Id == u).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
        return new DraftDetail(draft.Id, draft.UnitId, owner ?? "Toàn quốc", draft.Yaml, draft.Revision, draft.Origin, draft.UpdatedAt,
            draft.DecisionDocumentName);
    }

    /// <summary>
    /// The usual start: a copy of a stored version. The copy keeps the set's id with the next version number when the admin
    /// manages that set; otherwise (a national set copied by a province) it gets a new id of its own, version 1.
    /// </summary>
    public async Task<StudioResult> CopyAsync(string setId, int version, CancellationToken ct = default)
    {
        await DemandAsync("Sao chép bộ chỉ số", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId && v.Version == version)
            .Select(v => new { v.Yaml, v.OwnerUnitId }).SingleOrDefaultAsync(ct);
        if (source is null || !ownership.CanUse(source.OwnerUnitId))
            return StudioResult.Fail($"Không tìm thấy bộ chỉ số {setId} phiên bản {version}.");
        var owner = ownership.DefaultOwner;
        string newId;
        int newVersion;
        if (source.OwnerUnitId == owner)
        {
            newId = setId;
            newVersion = Math.Max(await NextVersionAsync(db, setId, ct), version + 1);
        }
        else
        {
            newId = await FreeIdAsync(db, setId + "-ban-sao", ct);
            newVersion = 1;
        }
        var yaml = WithHeader(source.Yaml, newId, newVersion);
        return await CreateAsync(db, owner, yaml, $"Bản sao của {setId} v{version}", ct);
    }

    /// <summary>An empty set of the level, with one index and one criterion to show the shape.</summary>
    public async Task<StudioResult> CreateEmptyAsync(string level, CancellationToken ct = default)
    {
        await DemandAsync("Tạo bộ chỉ số trống", ct);
        if (level is not ("commune" or "district" or "province"))
            return StudioResult.Fail("Chọn cấp đơn vị được đánh giá (cấp xã, cấp huyện hoặc cấp tỉnh).");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = await FreeIdAsync(db, $"bo-chi-so-{level}-moi", ct);
        return await CreateAsync(db, ownership.DefaultOwner, EmptySet(id, level, clock.GetUtcNow().Year), "Bộ trống", ct);
    }

    /// <summary>A YAML file in today's format. Kept even when it has errors: the editor shows each one at its node.</summary>
    public async Task<StudioResult> CreateFromYamlAsync(Stream file, string fileName, CancellationToken ct = default)
    {
        await DemandAsync("Tải lên tệp YAML", ct);
        var text = await ReadTextAsync(file, ct);
        if (text is null) return StudioResult.Fail($"Tệp \"{fileName}\" lớn hơn {MaxYamlBytes / 1024 / 1024} MB hoặc không phải văn bản UTF-8.");
        if (string.IsNullOrWhiteSpace(text)) return StudioResult.Fail($"Tệp \"{fileName}\" rỗng.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CreateAsync(db, ownership.DefaultOwner, text, $"Tệp YAML {Short(fileName)}", ct);
    }

    /// <summary>A workbook in the decisions' table layout (<see cref="CriteriaWorkbook"/>): every problem named, no draft made on error.</summary>
    public async Task<StudioResult> CreateFromWorkbookAsync(Stream file, string fileName, CancellationToken ct = default)
    {
        await DemandAsync("Tải lên bảng tính bộ chỉ số", ct);
        var read = CriteriaWorkbook.Read(file);
        if (!read.Success)
        {
            await audit.WriteAsync(new AuditEvent(Action, "CriteriaSetDraft", null, ownership.DefaultOwner,
                Detail: $"Bảng tính \"{Short(fileName)}\" có {read.Problems.Count} lỗi; không tạo bản nháp.", Success: false), ct);
            return new StudioResult(false, $"Bảng tính \"{Short(fileName)}\" có {read.Problems.Count} lỗi; không tạo bản nháp nào.", Problems: read.Problems);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CreateAsync(db, ownership.DefaultOwner, read.Yaml!, $"Bảng tính {Short(fileName)}", ct);
    }

    /// <summary>Saves the draft's text. Refused when the draft moved on since <paramref name="baseRevision"/> (another tab, another admin).</summary>
    public async Task<DraftSaveResult> SaveAsync(int draftId, string yaml, int baseRevision, CancellationToken ct = default)
    {
        await DemandAsync("Lưu bản nháp", ct);
        if (Encoding.UTF8.GetByteCount(yaml) > MaxYamlBytes)
            return new DraftSaveResult(false, baseRevision, $"Bộ chỉ số dài quá {MaxYamlBytes / 1024 / 1024} MB; không lưu.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.CriteriaSetDrafts.SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null || !ownership.CanManage(draft.UnitId)) return new DraftSaveResult(false, 0, NotFound);
        if (draft.Revision != baseRevision)
            return new DraftSaveResult(false, draft.Revision,
                $"Bản nháp đã được lưu ở nơi khác (lần lưu {draft.Revision}, lúc {DtiPortal.Domain.VietnamTime.Time(draft.UpdatedAt)} bởi {draft.UpdatedBy}). Hãy tải lại trang để xem bản mới nhất.",
                Conflict: true);
        if (draft.Yaml == yaml) return new DraftSaveResult(true, draft.Revision, null);
        draft.Replace(yaml, clock.GetUtcNow(), scope.UserName);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new DraftSaveResult(false, baseRevision, "Bản nháp vừa được lưu ở nơi khác; hãy tải lại trang.", Conflict: true);
        }
        await audit.WriteAsync(new AuditEvent("Lưu bản nháp bộ chỉ số", "CriteriaSetDraft", draftId.ToString(), draft.UnitId,
            Detail: $"{draft.SetId} v{draft.Version}: lần lưu {draft.Revision} ({Encoding.UTF8.GetByteCount(yaml):N0} byte)."), ct);
        return new DraftSaveResult(true, draft.Revision, null);
    }

    /// <summary>Deletes a draft (the page asks for confirmation first). Published versions are never deleted: there is no such command.</summary>
    public async Task<StudioResult> DeleteAsync(int draftId, CancellationToken ct = default)
    {
        await DemandAsync("Xóa bản nháp", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.CriteriaSetDrafts.SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null || !ownership.CanManage(draft.UnitId)) return StudioResult.Fail(NotFound);
        db.CriteriaSetDrafts.Remove(draft);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditEvent("Xóa bản nháp bộ chỉ số", "CriteriaSetDraft", draftId.ToString(), draft.UnitId,
            Detail: $"{draft.SetId} v{draft.Version} “{draft.Name}”, lần lưu {draft.Revision}."), ct);
        if (draft.DecisionDocumentKey is { } key) await store.DeleteAsync(key, ct);
        return new StudioResult(true, $"Đã xóa bản nháp {draft.SetId} v{draft.Version}.", draftId);
    }

    /// <summary>Attaches the decision's PDF (checked by its first bytes, at most <see cref="MaxDecisionBytes"/>).</summary>
    public async Task<StudioResult> AttachDecisionAsync(int draftId, Stream pdf, string fileName, CancellationToken ct = default)
    {
        await DemandAsync("Đính kèm quyết định", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.CriteriaSetDrafts.SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null || !ownership.CanManage(draft.UnitId)) return StudioResult.Fail(NotFound);

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await pdf.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxDecisionBytes)
                return StudioResult.Fail($"Tệp \"{Short(fileName)}\" lớn hơn {MaxDecisionBytes / 1024 / 1024} MB.");
        }
        var bytes = buffer.ToArray();
        if (bytes.Length < 5 || Encoding.ASCII.GetString(bytes, 0, 5) != "%PDF-")
            return StudioResult.Fail($"Tệp \"{Short(fileName)}\" không phải là tệp PDF.");
        var key = $"criteria/d{draftId}/{Guid.NewGuid():N}.pdf";
        await store.WriteAsync(key, new MemoryStream(bytes), ct);
        var previous = draft.DecisionDocumentKey;
        draft.AttachDecisionDocument(key, Short(fileName));
        await db.SaveChangesAsync(ct);
        if (previous is not null) await store.DeleteAsync(previous, ct);
        await audit.WriteAsync(new AuditEvent("Đính kèm quyết định vào bản nháp bộ chỉ số", "CriteriaSetDraft", draftId.ToString(), draft.UnitId,
            Detail: $"{draft.SetId} v{draft.Version}: {Short(fileName)} ({bytes.Length:N0} byte)."), ct);
        return new StudioResult(true, $"Đã đính kèm {Short(fileName)}.", draftId);
    }

    /// <summary>What publishing the draft would do: its errors, or the diff against the version before it.</summary>
    public async Task<PublishPreview?> PreviewAsync(int draftId, CancellationToken ct = default)
    {
        var draft = await GetAsync(draftId, ct);
        if (draft is null) return null;
        var parsed = CriteriaSetLoader.Parse(draft.Yaml);
        if (parsed.Set is not { } set) return new PublishPreview(null, parsed.Errors, null, null, null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ownerProblem = await OwnerProblemAsync(db, set.Id, draft.OwnerUnitId, ct);
        var previous = await db.CriteriaSetVersions.AsNoTracking()
            .Where(v => v.SetId == set.Id && v.Version < set.Version).OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, v.Yaml, v.Sha256 }).FirstOrDefaultAsync(ct);
        if (previous is not null)
            return new PublishPreview(set, [], previous.Version, CriteriaSetDiff.Compare(cache.GetOrParse(previous.Sha256, previous.Yaml), set), ownerProblem,
                set.Id);
        // A first version copied from another set (a province's copy of a national set): compare with what it was copied from.
        if (CopiedFrom().Match(draft.Origin) is { Success: true } m)
        {
            var sourceId = m.Groups[1].Value;
            var sourceVersion = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            var source = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == sourceId && v.Version == sourceVersion)
                .Select(v => new { v.Yaml, v.Sha256, v.OwnerUnitId }).SingleOrDefaultAsync(ct);
            if (source is not null && ownership.CanUse(source.OwnerUnitId))
                return new PublishPreview(set, [], sourceVersion, CriteriaSetDiff.Compare(cache.GetOrParse(source.Sha256, source.Yaml), set), ownerProblem,
                    sourceId);
        }
        return new PublishPreview(set, [], null, null, ownerProblem);
    }

    /// <summary>
    /// Publishes the draft through the same path as <c>dti sets load</c> (<see cref="LoadCriteriaSet"/>: validated, immutable,
    /// hashed), owned by the draft's province, with its decision PDF; then removes the draft. Rounds can use it at once.
    /// </summary>
    public async Task<PublishResult> PublishAsync(int draftId, CancellationToken ct = default)
    {
        await DemandAsync("Công bố bộ chỉ số", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.CriteriaSetDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        if (draft is null || !ownership.CanManage(draft.UnitId)) return new PublishResult(false, NotFound);
        var parsed = CriteriaSetLoader.Parse(draft.Yaml);
        if (parsed.Set is not { } set)
            return new PublishResult(false, $"Bộ chỉ số còn {parsed.Errors.Count} lỗi; hãy sửa hết trước khi công bố.", Errors: parsed.Errors);
        if (await OwnerProblemAsync(db, set.Id, draft.UnitId, ct) is { } problem) return new PublishResult(false, problem);

        var outcome = await loader.HandleAsync(draft.Yaml, scope.UserName, isBuiltIn: false, draft.UnitId,
            draft.DecisionDocumentKey, draft.DecisionDocumentName, ct);
        await audit.WriteAsync(new AuditEvent("Công bố bộ chỉ số", "CriteriaSetVersion", $"{set.Id}/{set.Version}", draft.UnitId,
            Detail: outcome.Message, Success: outcome.Status == CriteriaLoadStatus.Stored), ct);
        if (outcome.Status != CriteriaLoadStatus.Stored)
            return new PublishResult(false, outcome.Status == CriteriaLoadStatus.Unchanged
                ? $"Bộ chỉ số {set.Id} phiên bản {set.Version} đã được công bố với đúng nội dung này; hãy tăng số phiên bản (version) nếu muốn công bố bản mới."
                : outcome.Message, set.Id, set.Version, outcome.Errors);

        // The version is stored; the draft has done its job. Its PDF now belongs to the version, so only the row goes.
        await db.CriteriaSetDrafts.Where(d => d.Id == draftId).ExecuteDeleteAsync(ct);
        return new PublishResult(true, outcome.Message, set.Id, set.Version);
    }

    /// <summary>The decision PDF of a draft (its admins) or of a published version (anyone who may use the set); null when none.</summary>
    public async Task<(Stream Content, string FileName)?> OpenDecisionAsync(int? draftId, string? setId, int? version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? key, name;
        if (draftId is { } id)
        {
            var draft = await GetAsync(id, ct);
            if (draft is null) return null;
            var row = await db.CriteriaSetDrafts.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.DecisionDocumentKey, d.DecisionDocumentName }).SingleAsync(ct);
            (key, name) = (row.DecisionDocumentKey, row.DecisionDocumentName);
        }
        else
        {
            var row = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId && v.Version == version)
                .Select(v => new { v.DecisionDocumentKey, v.DecisionDocumentName, v.OwnerUnitId }).SingleOrDefaultAsync(ct);
            if (row is null || !ownership.CanUse(row.OwnerUnitId)) return null;
            (key, name) = (row.DecisionDocumentKey, row.DecisionDocumentName);
        }
        if (key is null) return null;
        var stream = await store.OpenReadAsync(key, ct);
        return stream is null ? null : (stream, name ?? "quyet-dinh.pdf");
    }

    /// <summary>
    /// A set id belongs to one owner for all its versions: a province cannot publish a version of a national set or of
    /// another province's set (it copies it under its own id), and a system admin's national set cannot take a province's id.
    /// </summary>
    private async Task<string?> OwnerProblemAsync(DtiDbContext db, string setId, int? draftOwner, CancellationToken ct)
    {
        var owners = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId)
            .Select(v => v.OwnerUnitId).Distinct().ToListAsync(ct);
        if (owners.Count == 0 || owners.All(o => o == draftOwner)) return null;
        var other = owners.First(o => o != draftOwner);
        var name = other is { } u ? "của " + (await db.Units.Where(x => x.Id == u).Select(x => x.Name).SingleOrDefaultAsync(ct) ?? "một tỉnh khác") : "quốc gia";
        return $"Mã bộ chỉ số \"{setId}\" đã được dùng cho bộ chỉ số {name}; hãy đặt mã khác (trường id) cho bộ chỉ số này.";
    }

    private async Task<StudioResult> CreateAsync(DtiDbContext db, int? owner, string yaml, string origin, CancellationToken ct)
    {
        if (owner is null && !scope.IsInRole(Roles.SystemAdmin) && scope.UserId is not null)
            return StudioResult.Fail("Tài khoản của bạn chưa gắn với một tỉnh/thành phố nên chưa soạn được bộ chỉ số.");
        var draft = new CriteriaSetDraft(owner, yaml, Short(origin, 300), clock.GetUtcNow(), scope.UserName);
        db.CriteriaSetDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditEvent("Tạo bản nháp bộ chỉ số", "CriteriaSetDraft", draft.Id.ToString(), owner,
            Detail: $"{origin}: {draft.SetId} v{draft.Version}."), ct);
        return new StudioResult(true, $"Đã tạo bản nháp {draft.SetId} v{draft.Version}.", draft.Id, draft.Revision);
    }

    private async Task DemandAsync(string what, CancellationToken ct) =>
        await guard.DemandAsync($"{Action}: {what}", null, Roles.Admins, ct);

    private static async Task<int> NextVersionAsync(DtiDbContext db, string setId, CancellationToken ct)
    {
        var stored = await db.CriteriaSetVersions.Where(v => v.SetId == setId).Select(v => (int?)v.Version).MaxAsync(ct) ?? 0;
        var drafted = await db.CriteriaSetDrafts.Where(d => d.SetId == setId).Select(d => (int?)d.Version).MaxAsync(ct) ?? 0;
        return Math.Max(stored, drafted) + 1;
    }

    private static async Task<string> FreeIdAsync(DtiDbContext db, string wanted, CancellationToken ct)
    {
        wanted = wanted.Length > 90 ? wanted[..90] : wanted;
        var taken = (await db.CriteriaSetVersions.Select(v => v.SetId).Distinct().ToListAsync(ct))
            .Concat(await db.CriteriaSetDrafts.Select(d => d.SetId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(wanted)) return wanted;
        for (var i = 2; ; i++)
            if (!taken.Contains($"{wanted}-{i}")) return $"{wanted}-{i}";
    }

    /// <summary>Sets the top-level <c>id:</c> and <c>version:</c> lines, keeping the rest of the text (and its comments) as it was.</summary>
    public static string WithHeader(string yaml, string id, int version)
    {
        var text = TopLevel("id").Replace(yaml, $"id: {id}", 1);
        return TopLevel("version").Replace(text, $"version: {version}", 1);
    }

    private static Regex TopLevel(string key) => new($"^{key}:[^\\r\\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static string EmptySet(string id, string level, int year) => $$"""
        format: dti-criteria/1
        id: {{id}}
        version: 1
        name: Bộ chỉ số mới
        level: {{level}}
        year: {{year}}
        decision:
          number: ""
          date: {{year}}-01-01
          issuer: ""
        maxPoints: 100
        general:
          - { code: "1", key: population, label: Dân số, unit: người, type: integer }
        tree:
          - code: "1"
            kind: index
            name: Nhận thức số
            max: 100
            children:
              - code: "1.1"
                kind: criterion
                name: Tiêu chí thứ nhất
                max: 100
                method: yesno
                evidence: ["Văn bản, tài liệu chứng minh"]

        """;

    private static async Task<string?> ReadTextAsync(Stream file, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await file.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxYamlBytes) return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.ToArray()).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^Bản sao của (\S+) v(\d+)$")]
    private static partial Regex CopiedFrom();

    private static string Short(string s, int max = 200) => s.Length <= max ? s : s[..max];
}
