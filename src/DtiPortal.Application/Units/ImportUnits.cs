using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Units;

public sealed record UnitImportResult(int Imported, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports units from .xlsx/.csv. Columns (header names, accents optional): Mã, Tên, Loại, Mã đơn vị cấp trên,
/// Hiệu lực từ, Hiệu lực đến, Đơn vị tiền thân (codes separated by ';'), Hình thức (sáp nhập/chia tách).
/// All or nothing: any error → nothing is written; success → one transaction.
/// </summary>
public sealed class ImportUnits(IDbContextFactory<DtiDbContext> dbFactory, UnitHierarchy hierarchy, AccessGuard guard)
{
    public static readonly string[] Columns = ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Đơn vị tiền thân", "Hình thức"];

    public async Task<UnitImportResult> ImportAsync(Stream stream, string fileName, bool isDemo = false, CancellationToken ct = default)
    {
        await guard.DemandAsync("Nhập đơn vị hành chính", null, Roles.Admins, ct);
        TableData table;
        try { table = TableFile.Read(stream, fileName); }
        catch (TableFileException ex) { return new UnitImportResult(0, [new ImportError(0, ex.Message)]); }

        int code = table.Column("Mã", "Mã đơn vị", "Code"), name = table.Column("Tên", "Tên đơn vị", "Name"),
            kind = table.Column("Loại", "Loại đơn vị", "Kind"), parent = table.Column("Mã đơn vị cấp trên", "Mã cấp trên", "Cấp trên", "Parent"),
            from = table.Column("Hiệu lực từ", "Từ ngày"), to = table.Column("Hiệu lực đến", "Đến ngày"),
            preds = table.Column("Đơn vị tiền thân", "Tiền thân", "Predecessors"), relation = table.Column("Hình thức", "Hình thức sắp xếp");
        var missing = new[] { ("Mã", code), ("Tên", name), ("Loại", kind), ("Mã đơn vị cấp trên", parent) }.Where(c => c.Item2 < 0).Select(c => $"'{c.Item1}'").ToList();
        if (missing.Count > 0)
            return new UnitImportResult(0, [new ImportError(1, $"Thiếu cột {string.Join(", ", missing)} ở dòng tiêu đề. Các cột: {string.Join(", ", Columns)}.")]);

        if (TableFile.FormulaCells(table) is { Count: > 0 } formulas) return new UnitImportResult(0, formulas);

        static string? Cell(IReadOnlyList<string> cells, int i) => i >= 0 && i < cells.Count ? cells[i] : null;
        var rows = table.Rows.Select(r => new UnitImportRow(r.Row, Cell(r.Cells, code), Cell(r.Cells, name), Cell(r.Cells, kind),
            Cell(r.Cells, parent), Cell(r.Cells, from), Cell(r.Cells, to), Cell(r.Cells, preds))).ToList();
        var relations = table.Rows.ToDictionary(r => r.Row, r => Cell(r.Cells, relation));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var levels = await db.UnitLevels.AsNoTracking().ToListAsync(ct);
        var existing = await db.Units.AsNoTracking().Select(u => new ExistingUnit(u.Code, u.LevelCode)).ToListAsync(ct);
        var (units, errors) = UnitImportValidator.Validate(rows, existing, levels);
        if (errors.Count == 0 && !guard.Scope.IsUnrestricted)
            errors = await OutOfScopeAsync(db, units, ct);
        if (errors.Count > 0) return new UnitImportResult(0, errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        // Insert parents before children: order by depth within the file.
        var pending = units.ToList();
        var created = new Dictionary<string, AdministrativeUnit>(StringComparer.OrdinalIgnoreCase);
        while (pending.Count > 0)
        {
            var ready = pending.Where(u => u.ParentCode is null || ids.ContainsKey(u.ParentCode)).ToList();
            foreach (var u in ready)
            {
                var entity = new AdministrativeUnit(u.Code, u.Name, u.Kind, u.LevelCode,
                    u.ParentCode is null ? null : ids[u.ParentCode], u.ValidFrom, u.ValidTo, isDemo);
                db.Units.Add(entity);
                created[u.Code] = entity;
            }
            await db.SaveChangesAsync(ct);
            foreach (var u in ready) ids[u.Code] = created[u.Code].Id;
            pending = pending.Except(ready).ToList();
        }
        foreach (var u in units.Where(u => u.PredecessorCodes.Count > 0))
        {
            var relationKind = Domain.VietnameseText.Fold(relations.GetValueOrDefault(u.Row) ?? "").StartsWith("chia") ? PredecessorKind.Split : PredecessorKind.Merged;
            foreach (var p in u.PredecessorCodes) created[u.Code].AddPredecessor(ids[p], relationKind);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        hierarchy.Invalidate();
        return new UnitImportResult(units.Count, []);
    }

    /// <summary>
    /// A provincial admin adds units only below units they manage: every new unit hangs (directly or through units of the same
    /// file) under a unit in their scope. New provinces are for system administrators.
    /// </summary>
    private async Task<IReadOnlyList<ImportError>> OutOfScopeAsync(DtiDbContext db, IReadOnlyList<UnitToCreate> units, CancellationToken ct)
    {
        var inFile = units.ToDictionary(u => u.Code, StringComparer.OrdinalIgnoreCase);
        var parentCodes = units.Where(u => u.ParentCode is not null && !inFile.ContainsKey(u.ParentCode)).Select(u => u.ParentCode!).Distinct().ToList();
        var parents = await db.Units.AsNoTracking().Where(u => parentCodes.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        var errors = new List<ImportError>();
        foreach (var u in units)
        {
            var root = u;
            while (root.ParentCode is not null && inFile.TryGetValue(root.ParentCode, out var p)) root = p;
            if (root.ParentCode is null)
                errors.Add(new ImportError(u.Row, $"Chỉ quản trị hệ thống được thêm đơn vị cấp tỉnh ('{root.Code}')."));
            else if (!guard.Scope.CanSee(parents[root.ParentCode]))
                errors.Add(new ImportError(u.Row, $"Đơn vị cấp trên '{root.ParentCode}' nằm ngoài phạm vi quản lý của bạn."));
        }
        return errors;
    }
}
