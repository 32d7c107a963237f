namespace DtiPortal.Domain.Units;

/// <summary>One row of a unit spreadsheet, as read (row numbers are the spreadsheet's, header = row 1).</summary>
public sealed record UnitImportRow(
    int Row,
    string? Code,
    string? Name,
    string? Kind,
    string? ParentCode,
    string? ValidFrom,
    string? ValidTo,
    string? Predecessors);

/// <summary>A unit already in the database, as the validator needs to see it.</summary>
public sealed record ExistingUnit(string Code, string LevelCode);

/// <summary>A validated row, ready to be inserted.</summary>
public sealed record UnitToCreate(
    int Row,
    string Code,
    string Name,
    UnitKind Kind,
    string LevelCode,
    string? ParentCode,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    IReadOnlyList<string> PredecessorCodes);

public sealed record ImportError(int Row, string Message)
{
    public override string ToString() => Row > 0 ? $"Dòng {Row}: {Message}" : Message;
}

/// <summary>
/// The all-or-nothing rules of a unit import (issue 2): every row is checked against the file and
/// the units already stored; any error means nothing is imported. Pure, so the rules are unit-tested
/// without a database.
/// </summary>
public static class UnitImportValidator
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    public static (IReadOnlyList<UnitToCreate> Units, IReadOnlyList<ImportError> Errors) Validate(
        IReadOnlyList<UnitImportRow> rows,
        IReadOnlyCollection<ExistingUnit> existing,
        IReadOnlyList<UnitLevel> levels)
    {
        var errors = new List<ImportError>();
        if (rows.Count == 0)
        {
            errors.Add(new ImportError(0, "Tệp không có dòng dữ liệu nào (cần ít nhất một đơn vị dưới dòng tiêu đề)."));
            return ([], errors);
        }

        var rank = levels.ToDictionary(l => l.Code, l => l.Rank);
        var existingByCode = existing.ToDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);
        var firstRowOfCode = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var parsed = new List<UnitToCreate>();

        // Pass 1: each row on its own (required fields, kind, dates, duplicates).
        foreach (var r in rows)
        {
            var code = r.Code?.Trim() ?? "";
            var name = r.Name?.Trim() ?? "";
            var parent = string.IsNullOrWhiteSpace(r.ParentCode) ? null : r.ParentCode.Trim();
            var rowOk = true;

            if (code.Length == 0) { errors.Add(new(r.Row, "Thiếu mã đơn vị.")); rowOk = false; }
            else if (code.Length > 32) { errors.Add(new(r.Row, $"Mã đơn vị '{code}' dài quá 32 ký tự.")); rowOk = false; }
            if (name.Length == 0) { errors.Add(new(r.Row, $"Tên đơn vị{(code.Length > 0 ? $" '{code}'" : "")} đang để trống.")); rowOk = false; }
            else if (name.Length > 200) { errors.Add(new(r.Row, "Tên đơn vị dài quá 200 ký tự.")); rowOk = false; }

            if (code.Length > 0)
            {
                if (firstRowOfCode.TryGetValue(code, out var first))
                { errors.Add(new(r.Row, $"Mã đơn vị '{code}' bị trùng với dòng {first}.")); rowOk = false; }
                else firstRowOfCode[code] = r.Row;
                if (existingByCode.ContainsKey(code))
                { errors.Add(new(r.Row, $"Mã đơn vị '{code}' đã có trong hệ thống.")); rowOk = false; }
            }
            if (parent is not null && string.Equals(parent, code, StringComparison.OrdinalIgnoreCase))
            { errors.Add(new(r.Row, $"Đơn vị '{code}' không thể là cấp trên của chính nó.")); rowOk = false; }

            var parentLevel = parent is null ? null : "?";
            var kind = UnitKinds.Parse(r.Kind, parentLevel);
            if (kind is null)
            {
                errors.Add(new(r.Row, string.IsNullOrWhiteSpace(r.Kind)
                    ? "Thiếu loại đơn vị (tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu)."
                    : $"Loại đơn vị '{r.Kind!.Trim()}' không hợp lệ (tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu)."));
                rowOk = false;
            }

            var from = ParseDate(r.ValidFrom, r.Row, "Hiệu lực từ", errors, ref rowOk);
            var to = ParseDate(r.ValidTo, r.Row, "Hiệu lực đến", errors, ref rowOk);
            if (from is not null && to is not null && to < from)
            { errors.Add(new(r.Row, $"Ngày hết hiệu lực ({to:dd/MM/yyyy}) trước ngày có hiệu lực ({from:dd/MM/yyyy}).")); rowOk = false; }

            var preds = (r.Predecessors ?? "")
                .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();

            if (rowOk)
                parsed.Add(new UnitToCreate(r.Row, code, name, kind!.Value, kind.Value.LevelCode(), parent, from, to, preds));
        }

        var inFile = parsed.ToDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase);
        var allCodesInFile = firstRowOfCode;

        // Pass 2: relations (parent exists, no cycle, levels in order, predecessors exist).
        foreach (var u in parsed)
        {
            if (u.ParentCode is not null)
            {
                if (!inFile.ContainsKey(u.ParentCode) && !existingByCode.ContainsKey(u.ParentCode))
                {
                    if (!allCodesInFile.ContainsKey(u.ParentCode))
                        errors.Add(new(u.Row, $"Không tìm thấy đơn vị cấp trên có mã '{u.ParentCode}' (không có trong tệp và trong hệ thống)."));
                    continue;
                }
                if (HasCycle(u, inFile, out var path))
                {
                    errors.Add(new(u.Row, $"Quan hệ cấp trên tạo thành vòng lặp: {string.Join(" → ", path)}."));
                    continue;
                }
                var parentLevel = inFile.TryGetValue(u.ParentCode, out var p) ? p.LevelCode : existingByCode[u.ParentCode].LevelCode;
                if (rank.TryGetValue(parentLevel, out var parentRank) && rank.TryGetValue(u.LevelCode, out var ownRank) && ownRank <= parentRank)
                {
                    var parentName = levels.First(l => l.Code == parentLevel).Name.ToLowerInvariant();
                    var ownName = levels.First(l => l.Code == u.LevelCode).Name.ToLowerInvariant();
                    errors.Add(new(u.Row, $"Sai thứ tự cấp: '{u.Code}' ({u.Kind.DisplayName()}, {ownName}) không thể nằm dưới '{u.ParentCode}' ({parentName})."));
                }
            }
            else if (u.LevelCode != levels.OrderBy(l => l.Rank).First().Code)
            {
                errors.Add(new(u.Row, $"Đơn vị '{u.Code}' ({u.Kind.DisplayName()}) phải có mã đơn vị cấp trên."));
            }

            foreach (var pred in u.PredecessorCodes)
            {
                if (string.Equals(pred, u.Code, StringComparison.OrdinalIgnoreCase))
                    errors.Add(new(u.Row, $"Đơn vị '{u.Code}' không thể là tiền thân của chính nó."));
                else if (!allCodesInFile.ContainsKey(pred) && !existingByCode.ContainsKey(pred))
                    errors.Add(new(u.Row, $"Không tìm thấy đơn vị tiền thân có mã '{pred}'."));
            }
        }

        errors.Sort((a, b) => a.Row.CompareTo(b.Row));
        return errors.Count > 0 ? ([], errors) : (parsed, errors);
    }

    private static bool HasCycle(UnitToCreate start, Dictionary<string, UnitToCreate> inFile, out List<string> path)
    {
        path = [start.Code];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { start.Code };
        var current = start;
        while (current.ParentCode is not null && inFile.TryGetValue(current.ParentCode, out var parent))
        {
            path.Add(parent.Code);
            if (!seen.Add(parent.Code)) return true;
            current = parent;
        }
        return false;
    }

    private static DateOnly? ParseDate(string? text, int row, string column, List<ImportError> errors, ref bool ok)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), DateFormats, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var d))
            return d;
        errors.Add(new(row, $"Cột '{column}': '{text.Trim()}' không phải ngày hợp lệ (dùng dd/MM/yyyy hoặc yyyy-MM-dd)."));
        ok = false;
        return null;
    }
}
