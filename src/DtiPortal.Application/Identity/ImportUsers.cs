using System.Text;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Domain.Units;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DtiPortal.Application.Identity;

/// <summary>An account created by an import, with its temporary password (shown once, to be handed out).</summary>
public sealed record CreatedAccount(int Row, string UserId, string UserName, string FullName, string UnitCode, string UnitName,
    IReadOnlyList<string> Roles, string TemporaryPassword);

public sealed record UserImportResult(IReadOnlyList<CreatedAccount> Created, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Creates accounts from .xlsx/.csv. Columns (header names, accents optional): Tên đăng nhập, Họ tên, Email, Mã đơn vị,
/// Phòng/ban, Vai trò (several separated by ';', identifiers or Vietnamese names as <see cref="Roles.Parse"/> reads them).
/// All or nothing, like the unit import: every row is checked first (each problem as "Dòng N: …"), and any error means no
/// account is created. UserManager saves on every call, so the creations run inside one transaction of the scoped
/// DtiDbContext that UserManager's store shares: a failure half-way rolls all of them back.
/// </summary>
public sealed class ImportUsers(
    UserAdminPolicy policy, UserManager<AppUser> users, RoleManager<IdentityRole> roles, DtiDbContext db,
    IValidator<CreateUserRequest> validator, IOptions<IdentityOptions> identityOptions, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Nhập danh sách người dùng";
    public const int MaxRows = 500;
    public static readonly string[] Columns = ["Tên đăng nhập", "Họ tên", "Email", "Mã đơn vị", "Phòng/ban", "Vai trò"];

    public async Task<UserImportResult> ImportAsync(Stream stream, string fileName, CancellationToken ct = default)
    {
        await policy.DemandAdminAsync(Action, null, ct);

        TableData table;
        try { table = TableFile.Read(stream, fileName); }
        catch (TableFileException ex) { return Fail(new ImportError(0, ex.Message)); }

        int userName = table.Column("Tên đăng nhập", "Tài khoản", "UserName"), fullName = table.Column("Họ tên", "Họ và tên", "FullName"),
            email = table.Column("Email", "Thư điện tử"), unit = table.Column("Mã đơn vị", "Đơn vị", "UnitCode"),
            department = table.Column("Phòng/ban", "Phòng ban", "Department"), role = table.Column("Vai trò", "Roles");
        var missing = new[] { ("Tên đăng nhập", userName), ("Họ tên", fullName), ("Mã đơn vị", unit), ("Vai trò", role) }
            .Where(c => c.Item2 < 0).Select(c => $"'{c.Item1}'").ToList();
        if (missing.Count > 0)
            return Fail(new ImportError(1, $"Thiếu cột {string.Join(", ", missing)} ở dòng tiêu đề. Các cột: {string.Join(", ", Columns)}."));
        if (table.Rows.Count == 0) return Fail(new ImportError(0, "Tệp không có dòng dữ liệu nào (cần ít nhất một người dùng dưới dòng tiêu đề)."));
        if (table.Rows.Count > MaxRows) return Fail(new ImportError(0, $"Tệp có {table.Rows.Count} dòng; mỗi lần nhập tối đa {MaxRows} người dùng."));
        if (TableFile.FormulaCells(table) is { Count: > 0 } formulas) return new UserImportResult([], formulas);

        static string Cell(IReadOnlyList<string> cells, int i) => i >= 0 && i < cells.Count ? cells[i].Trim() : "";

        var actor = await policy.ActorAsync(ct);
        var codes = table.Rows.Select(r => Cell(r.Cells, unit)).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var upperCodes = codes.Select(c => c.ToUpperInvariant()).ToList();
        db.ChangeTracker.Clear();
        var units = (await db.Units.AsNoTracking().Where(u => upperCodes.Contains(u.Code.ToUpper()))
                .Select(u => new UserAdminUnit(u.Id, u.Code, u.Name, u.ParentId)).ToListAsync(ct))
            .ToDictionary(u => u.Code, StringComparer.OrdinalIgnoreCase);
        var normalized = table.Rows.Select(r => users.NormalizeName(Cell(r.Cells, userName))).Where(n => n.Length > 0).ToList();
        var taken = (await db.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedUserName!)).Select(u => u.NormalizedUserName!).ToListAsync(ct))
            .ToHashSet();

        var errors = new List<ImportError>();
        var refusals = new List<(int Row, int? UnitId, string Reason)>(); // beyond the admin's rights: audited, not just shown
        var firstRowOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ready = new List<(int Row, CreateUserRequest Request, UserAdminUnit Unit)>();
        foreach (var (row, cells) in table.Rows)
        {
            var rowErrors = new List<string>();
            var roleCells = Cell(cells, role).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsedRoles = new List<string>();
            foreach (var text in roleCells)
            {
                if (Roles.Parse(text) is { } r) parsedRoles.Add(r);
                else rowErrors.Add($"Vai trò '{text}' không hợp lệ (dùng: {string.Join("; ", Roles.All.Select(Roles.DisplayName))}).");
            }
            var request = new CreateUserRequest
            {
                UserName = Cell(cells, userName), FullName = Cell(cells, fullName), Email = Cell(cells, email), UnitCode = Cell(cells, unit),
                Department = Cell(cells, department), Roles = parsedRoles.Distinct().ToList(),
            };
            var validation = await validator.ValidateAsync(request, ct);
            // An unknown role already has its message; "choose at least one role" would only repeat it.
            rowErrors.AddRange(validation.Errors
                .Where(e => !(e.PropertyName == nameof(CreateUserRequest.Roles) && roleCells.Length > 0))
                .Select(e => e.PropertyName == nameof(CreateUserRequest.UnitId) ? "Thiếu mã đơn vị." : e.ErrorMessage));

            var name = request.UserName;
            if (name.Length > 0)
            {
                if (firstRowOf.TryGetValue(name, out var first)) rowErrors.Add($"Tên đăng nhập '{name}' bị trùng với dòng {first}.");
                else firstRowOf[name] = row;
                if (taken.Contains(users.NormalizeName(name))) rowErrors.Add($"Tên đăng nhập '{name}' đã có trong hệ thống.");
            }

            UserAdminUnit? target = null;
            if (request.UnitCode!.Length > 0)
            {
                if (!units.TryGetValue(request.UnitCode, out target)) rowErrors.Add($"Không tìm thấy đơn vị có mã '{request.UnitCode}'.");
                else if (!policy.Scope.CanSee(target.Id))
                {
                    rowErrors.Add($"Đơn vị '{target.Code}' ({target.Name}) nằm ngoài phạm vi quản lý của bạn.");
                    refusals.Add((row, target.Id, rowErrors[^1]));
                    target = null;
                }
            }
            if (target is not null)
                foreach (var r in request.Roles)
                    if (policy.WhyCannotGrant(actor, r, target) is { } why)
                    {
                        rowErrors.Add($"Không được cấp vai trò {Roles.DisplayName(r)} tại {target.Name}: {why}");
                        refusals.Add((row, target.Id, rowErrors[^1]));
                    }

            errors.AddRange(rowErrors.Select(m => new ImportError(row, m)));
            if (rowErrors.Count == 0) ready.Add((row, request, target!));
        }
        foreach (var (row, unitId, reason) in refusals)
            await audit.RefusedAsync(Action, $"tệp {Path.GetFileName(fileName)} dòng {row}: {reason}", unitId, ct: ct);
        if (errors.Count > 0) return new UserImportResult([], errors);

        var created = new List<CreatedAccount>();
        await CreateUser.EnsureRolesAsync(roles, ready.SelectMany(r => r.Request.Roles), ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var now = clock.GetUtcNow();
            foreach (var (row, request, target) in ready)
            {
                var password = TemporaryPassword.Generate(identityOptions.Value.Password);
                var user = CreateUser.NewUser(request, target.Id, now);
                if (await CreateUser.CreateAsync(users, user, password, request.Roles) is { } failure)
                {
                    db.ChangeTracker.Clear();
                    return new UserImportResult([], failure.Select(f => new ImportError(row, f.Message)).ToList()); // tx rolls back
                }
                created.Add(new CreatedAccount(row, user.Id, user.UserName!, user.FullName, target.Code, target.Name, request.Roles, password));
            }
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        foreach (var a in created)
            await audit.WriteAsync(new AuditEvent("UserCreated", nameof(AppUser), a.UserId, units[a.UnitCode].Id,
                After: System.Text.Json.JsonSerializer.Serialize(new { a.UserName, a.FullName, a.UnitCode, a.Roles }),
                Detail: $"Tạo tài khoản {a.UserName} ({a.FullName}) tại {a.UnitName}, nhập từ tệp {Path.GetFileName(fileName)} dòng {a.Row}."), ct);
        return new UserImportResult(created, []);
    }

    private static UserImportResult Fail(ImportError e) => new([], [e]);

    /// <summary>The header and one example row, for the page's "download a template" link.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> TemplateRows { get; } =
    [
        ["nguyenvana.ldao", "Nguyễn Văn A", "nguyenvana@hungyen.gov.vn", "33-LD", "Văn phòng - Thống kê", "Cán bộ cấp xã"],
        ["tranthib.vhtt", "Trần Thị B", "", "33-VL", "Phòng Văn hóa và Thông tin", "DistrictReviewer; Thành viên Hội đồng thẩm định"],
    ];

    /// <summary>The created accounts as a .csv (UTF-8 with BOM so Excel shows Vietnamese) for the admin to hand out.</summary>
    public static byte[] AccountsCsv(IEnumerable<CreatedAccount> accounts)
    {
        static string Q(string? s) => TableFile.CsvField(s);
        var sb = new StringBuilder();
        sb.Append("Tên đăng nhập,Họ tên,Mã đơn vị,Đơn vị,Vai trò,Mật khẩu tạm thời\r\n");
        foreach (var a in accounts)
            sb.Append(string.Join(",", Q(a.UserName), Q(a.FullName), Q(a.UnitCode), Q(a.UnitName),
                Q(string.Join("; ", a.Roles.Select(Roles.DisplayName))), Q(a.TemporaryPassword))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>The created accounts as an .xlsx.</summary>
    public static byte[] AccountsXlsx(IEnumerable<CreatedAccount> accounts)
    {
        using var ms = new MemoryStream();
        TableFile.WriteXlsx(ms, ["Tên đăng nhập", "Họ tên", "Mã đơn vị", "Đơn vị", "Vai trò", "Mật khẩu tạm thời"],
            accounts.Select(a => (IReadOnlyList<string>)[a.UserName, a.FullName, a.UnitCode, a.UnitName,
                string.Join("; ", a.Roles.Select(Roles.DisplayName)), a.TemporaryPassword]), "Tài khoản");
        return ms.ToArray();
    }

    /// <summary>An empty import file with the expected columns and example rows.</summary>
    public static byte[] TemplateXlsx()
    {
        using var ms = new MemoryStream();
        TableFile.WriteXlsx(ms, Columns, TemplateRows, "Người dùng");
        return ms.ToArray();
    }
}
