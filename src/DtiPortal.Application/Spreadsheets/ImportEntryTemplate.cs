using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>
/// Uploads a filled entry template (<see cref="EntryTemplate"/>) into its assessment (issue 7). Every row is checked first
/// — the template's identity (assessment, set id and version), the header, unknown or repeated addresses, each value read
/// exactly as data entry reads typed text (<see cref="ValueText.Parse"/>), the criteria the user may change
/// (<see cref="SaveValue.WhyCannotChange"/>), parts above their whole (<see cref="SaveValue.PartWholeProblem"/>, on the values
/// as they will be after the import), values changed by someone else since the download, formula and error cells — and every
/// problem is reported with its sheet, row and column. On any problem nothing is stored. Otherwise every changed value is
/// stored in one transaction exactly as <see cref="SaveValue"/> stores it (same JSON, each row's version + 1, the same audit
/// entries through the interceptor, the assessment row held FOR SHARE against a concurrent submission). Blank value cells
/// leave the stored value as it is; formulas are never evaluated.
/// </summary>
public sealed class ImportEntryTemplate(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, EntrySettings settings, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Nhập số liệu từ mẫu bảng tính";
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 5000;

    private sealed record Change(string Address, string? Json, object? Value, int Row);

    /// <summary>A value as the template held it when downloaded: its version and JSON (null: empty).</summary>
    private sealed record Downloaded(int Version, string? Json);

    public async Task<ImportEntryResult> HandleAsync(int assessmentId, Stream file, string fileName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var deadline = await AssessmentDeadlines.DecideAsync(db, assessment, round, clock, ct);
        if (AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen, deadline) is { } why)
        {
            await audit.RefusedAsync(Action, why, assessment.UnitId, nameof(Assessment), assessmentId.ToString(CultureInfo.InvariantCulture), ct);
            return ImportEntryResult.Refused(why + " Không có giá trị nào được lưu.");
        }
        if (access.Role == EntryRole.Viewer)
        {
            await audit.RefusedAsync(Action, SaveValue.ViewerMessage, assessment.UnitId, nameof(Assessment), assessmentId.ToString(CultureInfo.InvariantCulture), ct);
            return ImportEntryResult.Refused(SaveValue.ViewerMessage);
        }
        if (!string.Equals(Path.GetExtension(fileName), ".xlsx", StringComparison.OrdinalIgnoreCase))
            return ImportEntryResult.Refused("Chỉ nhận tệp Excel .xlsx là mẫu nhập số liệu tải từ trang Bảng tính của bản đánh giá này.");
        var bytes = await ReadLimitedAsync(file, ct);
        if (bytes is null) return ImportEntryResult.Refused($"Tệp “{Path.GetFileName(fileName)}” lớn hơn 5 MB: không nhận.");

        List<XRow>? rows, meta;
        try
        {
            using var book = XlsxReader.Open(new MemoryStream(bytes, writable: false), fileName);
            meta = book.Rows(EntryTemplate.MetaSheetName);
            rows = meta is null ? null : book.Rows(EntryTemplate.SheetName);
        }
        catch (TableFileException ex) { return ImportEntryResult.Refused(ex.Message); }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException
                                       or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or ArgumentException)
        {
            return ImportEntryResult.Refused($"Không đọc được tệp '{Path.GetFileName(fileName)}': tệp hỏng, quá lớn khi giải nén hoặc không phải tệp Excel .xlsx.");
        }

        if (meta is null)
            return ImportEntryResult.Refused("Tệp này không phải mẫu nhập số liệu tải từ DtiPortal (không có trang tính ẩn “_dti” nhận diện mẫu). " +
                                             "Hãy tải mẫu từ trang Bảng tính của bản đánh giá rồi điền vào mẫu đó.");
        var (identity, template) = CheckIdentity(meta, assessmentId, set);
        if (identity.Count > 0) return new ImportEntryResult(false, 0, 0, identity);
        if (rows is null)
            return ImportEntryResult.Refused($"Tệp không có trang tính “{EntryTemplate.SheetName}” (đã bị đổi tên hoặc xóa). Hãy tải mẫu mới.");
        if (rows.Count > MaxRows)
            return ImportEntryResult.Refused($"Trang tính “{EntryTemplate.SheetName}” có {rows.Count.ToString("#,##0", Vn)} dòng, vượt quá giới hạn {MaxRows.ToString("#,##0", Vn)} dòng.");

        var errors = new List<TemplateError>();
        var header = rows.FirstOrDefault(r => r.Index == EntryTemplate.HeaderRow);
        for (var c = 0; c < EntryTemplate.Header.Count; c++)
        {
            var expected = EntryTemplate.Header[c];
            var actual = header?[c + 1] is { Kind: XKind.Text } h ? h.Text.Trim() : "";
            if (VietnameseText.Fold(actual) != VietnameseText.Fold(expected))
                errors.Add(Error(EntryTemplate.HeaderRow, c + 1, actual.Length == 0
                    ? $"thiếu tiêu đề “{expected}”. Đừng đổi tên, thêm hoặc xóa cột của mẫu; hãy tải mẫu mới."
                    : $"tiêu đề phải là “{expected}” (đang là “{actual}”). Đừng đổi tên, thêm hoặc xóa cột của mẫu; hãy tải mẫu mới."));
        }
        if (errors.Count > 0) return new ImportEntryResult(false, 0, 0, errors);

        // Everything stored for this assessment, tracked: validated against, then changed and saved under its versions.
        var stored = await db.AssessmentValues.Where(v => v.AssessmentId == assessmentId).ToDictionaryAsync(v => v.Address, StringComparer.Ordinal, ct);
        var department = access.Role == EntryRole.Department ? await access.DepartmentAsync(db, ct) : null;
        var assignments = await db.CriterionAssignments.AsNoTracking().Where(x => x.AssessmentId == assessmentId)
            .ToDictionaryAsync(x => x.CriterionCode, x => x.Department, StringComparer.Ordinal, ct);

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var notAllowed = new List<string>(); // cells the user may not change (another department's criterion): audited
        var changes = new List<Change>();
        var unchanged = 0;
        foreach (var row in rows.Where(r => r.Index > EntryTemplate.HeaderRow))
        {
            var addressCell = row[EntryTemplate.AddressColumn];
            var valueCell = row[EntryTemplate.ValueColumn];
            var address = addressCell.Kind switch
            {
                XKind.Text => addressCell.Text.Trim(),
                XKind.Number => addressCell.Number!.Value.ToString(CultureInfo.InvariantCulture),
                XKind.Empty => "",
                _ => addressCell.Text.Trim(),
            };
            if (address.Length == 0)
            {
                if (!valueCell.IsBlank) errors.Add(Error(row.Index, EntryTemplate.ValueColumn, "dòng có giá trị nhưng không có mã ô (cột A). Đừng xóa hay sửa cột Mã ô."));
                continue;
            }
            if (!set.Specs.TryGetValue(address, out var spec))
            {
                errors.Add(Error(row.Index, EntryTemplate.AddressColumn, $"mã ô “{address}” không có trong bộ chỉ số của đợt này."));
                continue;
            }
            if (seen.TryGetValue(address, out var first))
            {
                errors.Add(Error(row.Index, EntryTemplate.AddressColumn, $"mã ô “{address}” lặp lại (đã có ở dòng {first}); mỗi ô chỉ được nhập một lần."));
                continue;
            }
            seen[address] = row.Index;
            if (valueCell.IsBlank) continue; // blank: leave the stored value as it is

            var label = $"“{spec.Label}”";
            var text = CellText(valueCell, spec, label, out var cellProblem);
            if (cellProblem is not null) { errors.Add(Error(row.Index, EntryTemplate.ValueColumn, cellProblem)); continue; }
            var parsed = ValueText.Parse(spec, text, settings.MaxValue, round.Year);
            if (!parsed.Ok) { errors.Add(Error(row.Index, EntryTemplate.ValueColumn, parsed.Error!)); continue; }

            var json = ValueText.ToJson(parsed.Value);
            var current = stored.GetValueOrDefault(address);
            if (Same(current?.ValueJson, json, spec)) { unchanged++; continue; }
            // Not touched since the download (someone may have changed it on the page meanwhile: theirs stays).
            var downloaded = template.GetValueOrDefault(address);
            if (downloaded is not null && Same(downloaded.Json, json, spec)) { unchanged++; continue; }

            var criterion = set.CriterionOf.GetValueOrDefault(address);
            if (SaveValue.WhyCannotChange(assessment, access.Role, criterion, criterion is null ? null : assignments.GetValueOrDefault(criterion), department) is { } refused)
            {
                errors.Add(Error(row.Index, EntryTemplate.ValueColumn, refused));
                notAllowed.Add($"{address} ({refused})");
                continue;
            }
            if (downloaded is not null && (current?.Version ?? 0) != downloaded.Version)
            {
                var who = current?.UpdatedByName ?? "người khác";
                var at = current is null ? "" : " lúc " + current.UpdatedAt.ToOffset(SpreadsheetText.Vietnam).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
                var shown = current?.ValueJson is null ? "(đã xóa)" : ValueText.Display(ValueText.FromJson(current.ValueJson, spec));
                errors.Add(Error(row.Index, EntryTemplate.ValueColumn,
                    $"số liệu này đã được {who} sửa{at} sau khi bạn tải mẫu (hiện là: {shown}). Hãy tải mẫu mới để không ghi đè số liệu của người khác."));
                continue;
            }
            changes.Add(new Change(address, json, parsed.Value, row.Index));
        }

        // Parts above their whole, on the values as they will be after the import (the other side may change too).
        var after = stored.ToDictionary(kv => kv.Key, kv => kv.Value.ValueJson, StringComparer.Ordinal);
        foreach (var c in changes) after[c.Address] = c.Json;
        decimal? Final(string? a) =>
            a is not null && after.TryGetValue(a, out var j) && ValueText.FromJson(j, set.Specs.GetValueOrDefault(a)) is decimal d ? d : null;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in changes)
        {
            if (c.Value is not decimal number) continue;
            foreach (var pair in set.PairsOf(c.Address))
            {
                if (reported.Contains(pair.CriterionCode + pair.PartAddress)) continue;
                if (SaveValue.PartWholeProblem(c.Address, number, [pair], Final) is { } problem)
                {
                    reported.Add(pair.CriterionCode + pair.PartAddress);
                    errors.Add(Error(c.Row, EntryTemplate.ValueColumn, problem));
                }
            }
        }

        // The set's error rules (spec §10) on the values as they will be after the import, as the page refuses them at the
        // field: each broken rule is reported on the row of a changed figure it reads, and nothing is imported.
        var errorRules = set.Set.ValidationRules.Where(r => r.Severity == RuleSeverity.Error && changes.Any(c => r.Reads(c.Address))).ToList();
        if (errorRules.Count > 0)
        {
            var final = StoredValues.ToUnitValues("", after.Select(kv => new StoredValues.Row(assessmentId, kv.Key, kv.Value, 0, default, null)), set);
            foreach (var broken in ValidationRules.Evaluate(errorRules, reference => ValidationRules.ValueOf(reference, final)))
            {
                var c = changes.First(x => broken.Rule.Reads(x.Address));
                errors.Add(Error(c.Row, EntryTemplate.ValueColumn, set.Specs.GetValueOrDefault(c.Address) is { } spec
                    ? SaveValue.FieldMessage(spec, broken) : broken.Describe()));
            }
        }

        if (notAllowed.Count > 0)
            await audit.RefusedAsync(Action, $"tệp {Path.GetFileName(fileName)} sửa {notAllowed.Count} ô không được phép: " + string.Join("; ", notAllowed.Take(10)),
                assessment.UnitId, nameof(Assessment), assessmentId.ToString(CultureInfo.InvariantCulture), ct);
        if (errors.Count > 0)
            return new ImportEntryResult(false, 0, 0, [.. errors.OrderBy(e => e.Row ?? 0).ThenBy(e => e.Column, StringComparer.Ordinal)]);
        if (changes.Count == 0) return new ImportEntryResult(true, 0, unchanged, []);

        var now = clock.GetUtcNow();
        foreach (var c in changes)
        {
            if (!stored.TryGetValue(c.Address, out var row))
            {
                row = new AssessmentValue(assessmentId, assessment.UnitId, c.Address);
                db.AssessmentValues.Add(row);
            }
            row.Set(c.Json, now, access.Scope.UserId, access.Scope.UserName);
        }
        try
        {
            // As in SaveValue: the assessment row FOR SHARE, so a submission committing meanwhile either waits for this
            // import or has already won, and then nothing is stored.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var status = await db.Database.SqlQuery<string>($"select status as \"Value\" from assessments where id = {assessmentId} for share").SingleAsync(ct);
            if (!Enum.TryParse<AssessmentStatus>(status, out var state) || state is not (AssessmentStatus.Draft or AssessmentStatus.Returned))
                return ImportEntryResult.Refused(AssessmentRules.ReadOnlyMessage + " Không có giá trị nào được lưu.");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ImportEntryResult.Refused("Trong lúc nhập, một số liệu của bản đánh giá vừa được người khác lưu. Không có giá trị nào được lưu; " +
                                             "hãy tải mẫu mới rồi nhập lại.");
        }
        await audit.WriteAsync(new AuditEvent("SpreadsheetImport", nameof(Assessment), assessmentId.ToString(CultureInfo.InvariantCulture), assessment.UnitId,
            Detail: $"{Action}: {changes.Count} giá trị từ tệp “{Path.GetFileName(fileName)}”"), ct);
        return new ImportEntryResult(true, changes.Count, unchanged, []);
    }

    private static readonly NumberFormatInfo Vn = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = "," };

    private static TemplateError Error(int row, int col, string message) =>
        new(EntryTemplate.SheetName, row, XlsxWriter.ColumnName(col), EntryTemplate.Header[col - 1], message);

    /// <summary>Reads the upload into memory, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream file, CancellationToken ct)
    {
        if (file.CanSeek && file.Length - file.Position > MaxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await file.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxBytes) return null;
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The template's identity (sheet "_dti"): the format, this assessment, the round's set id and version. Returns the
    /// problems and each value as it was when the template was downloaded (version 0: no value then).
    /// </summary>
    private static (List<TemplateError> Errors, Dictionary<string, Downloaded> Values) CheckIdentity(List<XRow> meta, int assessmentId, EntrySet set)
    {
        var errors = new List<TemplateError>();
        var keys = new Dictionary<string, (string Text, int Row)>(StringComparer.Ordinal);
        var versions = new Dictionary<string, Downloaded>(StringComparer.Ordinal);
        foreach (var r in meta)
        {
            var key = r[1].Text.Trim();
            var value = r[2].Kind == XKind.Number ? r[2].Number!.Value.ToString(CultureInfo.InvariantCulture) : r[2].Text.Trim();
            if (r.Index >= EntryTemplate.MetaVersionsRow)
            {
                if (key.Length > 0 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    versions[key] = new Downloaded(v, r[3].Kind == XKind.Text ? r[3].Text : null);
            }
            else if (key.Length > 0) keys.TryAdd(key, (value, r.Index));
        }
        TemplateError Meta(string key, string message) =>
            keys.TryGetValue(key, out var at) ? new(EntryTemplate.MetaSheetName, at.Row, "B", null, message) : TemplateError.General(message);

        if (keys.GetValueOrDefault(EntryTemplate.Keys.Format).Text != EntryTemplate.Format)
        {
            errors.Add(Meta(EntryTemplate.Keys.Format, "Tệp này không phải mẫu nhập số liệu của DtiPortal hoặc đã bị sửa phần nhận diện mẫu. Hãy tải mẫu mới."));
            return (errors, versions);
        }
        var id = keys.GetValueOrDefault(EntryTemplate.Keys.AssessmentId).Text;
        if (id != assessmentId.ToString(CultureInfo.InvariantCulture))
        {
            var unit = keys.GetValueOrDefault(EntryTemplate.Keys.Unit).Text;
            errors.Add(Meta(EntryTemplate.Keys.AssessmentId,
                $"Mẫu này được tải cho bản đánh giá khác (mã {(id is { Length: > 0 } ? id : "không rõ")}{(unit is { Length: > 0 } ? ", " + unit : "")}), " +
                $"không phải bản đánh giá này (mã {assessmentId}). Hãy tải mẫu của đúng bản đánh giá này."));
        }
        var setId = keys.GetValueOrDefault(EntryTemplate.Keys.SetId).Text;
        var setVersion = keys.GetValueOrDefault(EntryTemplate.Keys.SetVersion).Text;
        if (setId != set.Set.Id || setVersion != set.Set.Version.ToString(CultureInfo.InvariantCulture))
            errors.Add(Meta(setId != set.Set.Id ? EntryTemplate.Keys.SetId : EntryTemplate.Keys.SetVersion,
                $"Mẫu này dùng bộ chỉ số “{setId}” phiên bản {setVersion}, còn đợt đánh giá dùng bộ chỉ số “{set.Set.Id}” phiên bản {set.Set.Version}. " +
                "Hãy tải mẫu mới."));
        return (errors, versions);
    }

    /// <summary>
    /// The text data entry would have received for a cell: numbers written the Vietnamese way ("1234,5", so that
    /// <see cref="ValueText"/> reads exactly the stored number), booleans as có/không, dates as dd/mm/yyyy; text as typed
    /// (an apostrophe this application put before "=…" is taken off). Formulas, error values and numbers Excel turned
    /// into dates are refused.
    /// </summary>
    private static string CellText(XValue cell, ValueSpec spec, string label, out string? problem)
    {
        problem = null;
        switch (cell.Kind)
        {
            case XKind.Formula:
                problem = $"{label}: ô chứa công thức (“{Short(cell.Text)}”). Hãy nhập giá trị, không nhập công thức; hệ thống không tính công thức.";
                return "";
            case XKind.Error:
                problem = $"{label}: ô đang báo lỗi của Excel (“{Short(cell.Text)}”). Hãy nhập giá trị.";
                return "";
            case XKind.Boolean:
                return cell.Text == "1" ? "có" : "không";
            case XKind.Date when spec.Type == InputType.Date && !spec.IsList:
                return cell.Date!.Value.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
            case XKind.Number when spec.Type == InputType.Date && !spec.IsList:
                if (cell.Number is { } serial && serial >= 1 && serial < 2_958_466)
                    return DateOnly.FromDateTime(DateTime.FromOADate((double)serial)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
                problem = $"{label}: “{cell.Text}” không phải là ngày (nhập theo dạng ngày/tháng/năm).";
                return "";
            case XKind.Date:
            case XKind.Number when cell.DateFormatted:
                problem = $"{label}: ô đang ở dạng ngày tháng nhưng cần nhập {(spec.Type == InputType.Text ? "văn bản" : "số")}. " +
                          "Hãy định dạng ô là số hoặc văn bản rồi nhập lại.";
                return "";
            case XKind.Number:
                // 1234.5 → "1234,5": ValueText reads a single comma as the decimal mark, never as thousands. A cell shown as
                // a percentage holds the fraction (72,5% is 0.725): it is read as the "72,5%" the user sees.
                return cell.PercentFormatted
                    ? (cell.Number!.Value * 100).ToString(CultureInfo.InvariantCulture).Replace('.', ',') + "%"
                    : cell.Number!.Value.ToString(CultureInfo.InvariantCulture).Replace('.', ',');
            default:
                return TableFile.Unneutralise(cell.Text);
        }
    }

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>
    /// Is the value already stored? Compared as values, not as JSON text (jsonb gives text back unescaped, "ễ" not
    /// "\u1EC5"), numbers at the 15 significant digits a spreadsheet keeps, so that re-uploading an unchanged template
    /// changes nothing.
    /// </summary>
    private static bool Same(string? storedJson, string? json, ValueSpec spec)
    {
        if (storedJson == json) return true;
        if (storedJson is null || json is null) return false;
        return (ValueText.FromJson(storedJson, spec), ValueText.FromJson(json, spec)) switch
        {
            (decimal a, decimal b) => Significant(a) == Significant(b),
            (int[] a, int[] b) => a.SequenceEqual(b),
            var (a, b) => Equals(a, b),
        };
    }

    private static decimal Significant(decimal v)
    {
        if (v == 0) return 0;
        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(v)));
        var decimals = 14 - magnitude;
        if (decimals >= 0) return Math.Round(v, Math.Min(decimals, 28), MidpointRounding.AwayFromZero);
        var factor = (decimal)Math.Pow(10, -decimals);
        return Math.Round(v / factor, MidpointRounding.AwayFromZero) * factor;
    }
}
