using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.PublicResults;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace DtiPortal.Application.Demo;

/// <summary>What `dti demo officers` created.</summary>
public sealed record BenchOfficersReport(int Rounds, int Assessments, int Officers, int Year);

/// <summary>
/// Issue 17: the circuit load test's officers. On data made by `dti demo generate`, opens one round of the next year per
/// province (entry deadline a month ahead) for every commune of as many provinces as <c>count</c> officers need, each
/// assessment a draft partly filled like the generator's drafts, and one commune officer account per commune
/// (<c>bench.xa00001</c> …, password <see cref="DemoUsers.Password"/>), so N officers of N communes can type at once.
/// Accounts share one password hash (computed once: hashing is the slow part of creating thousands). Idempotent.
/// </summary>
public sealed class BenchOfficers(IServiceProvider services, RoundSetCache sets, TimeProvider clock, IPasswordHasher<AppUser> hasher)
{
    public const string UserPrefix = "bench.xa";
    private const string Actor = "Dữ liệu đo tải (dti demo officers)";

    public static string UserName(int i) => $"{UserPrefix}{i:D5}";

    public async Task<BenchOfficersReport> HandleAsync(int count, CancellationToken ct = default)
    {
        if (count is < 1 or > 100_000) throw new InvalidOperationException("Số cán bộ phải từ 1 đến 100.000.");
        await using var db = Database.CreateOwnerContext(services);
        var generated = await db.AssessmentRounds.AsNoTracking()
            .Where(r => db.Units.Any(u => u.Id == r.ProvinceUnitId && u.Code.StartsWith(DemoGenerator.CodePrefix)))
            .OrderBy(r => r.Year).Select(r => new { r.Year, r.CriteriaSetVersionId }).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("Chưa có dữ liệu sinh tự động: hãy chạy `dti demo generate --units N` trước.");
        var year = generated.Year + 1;
        var set = await sets.GetAsync(db, generated.CriteriaSetVersionId, ct);

        var units = await db.Units.AsNoTracking().Where(u => u.Code.StartsWith(DemoGenerator.CodePrefix))
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.LevelCode, u.ParentId }).ToListAsync(ct);
        var districtProvince = units.Where(u => u.LevelCode == UnitLevel.District).ToDictionary(u => u.Id, u => u.ParentId!.Value);
        var communes = units.Where(u => u.LevelCode == UnitLevel.Commune).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        if (communes.Count < count)
            throw new InvalidOperationException($"Chỉ có {communes.Count} đơn vị cấp xã sinh tự động, cần {count}: chạy `dti demo generate` với nhiều đơn vị hơn.");
        var chosen = communes.Take(count).ToList();
        var provinces = chosen.Select(c => districtProvince[c.ParentId!.Value]).Distinct().ToList();

        // Rounds of the next year, open for entry, with every commune of the province (the cohort the scores rank against).
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var existing = await db.AssessmentRounds.AsNoTracking().Where(r => r.Year == year && provinces.Contains(r.ProvinceUnitId))
            .Select(r => r.ProvinceUnitId).ToListAsync(ct);
        var rounds = 0;
        var added = new List<(Assessment Assessment, string Code, string Name, UnitKind Kind)>();
        foreach (var province in provinces.Except(existing))
        {
            var round = new AssessmentRound(year, $"Đánh giá chuyển đổi số cấp xã năm {year} (dữ liệu đo tải)", generated.CriteriaSetVersionId, province,
                UnitLevel.Commune, today.AddDays(30), today.AddDays(45), today.AddDays(60), hasDistrictTier: true, clock.GetUtcNow(), Actor);
            db.AssessmentRounds.Add(round);
            foreach (var c in communes.Where(c => districtProvince[c.ParentId!.Value] == province))
                added.Add((RoundAdmin.AddAssessment(db, round, c.Id, set), c.Code, c.Name, c.Kind));
            rounds++;
        }
        await db.SaveChangesAsync(ct);
        if (added.Count > 0)
        {
            await db.Database.OpenConnectionAsync(ct);
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            using var copy = await conn.BeginBinaryImportAsync(
                "copy assessment_values (assessment_id, unit_id, address, value, version, updated_at, updated_by_name) from stdin (format binary)", ct);
            foreach (var (assessment, code, name, kind) in added)
                foreach (var (address, value) in DemoAssessments.Figures(set, code, kind.DisplayName() + " " + name, partial: true))
                {
                    if (ValueText.ToJson(value) is not { } json) continue;
                    copy.StartRow();
                    copy.Write(assessment.Id, NpgsqlDbType.Integer);
                    copy.Write(assessment.UnitId, NpgsqlDbType.Integer);
                    copy.Write(address, NpgsqlDbType.Varchar);
                    copy.Write(json, NpgsqlDbType.Jsonb);
                    copy.Write(1, NpgsqlDbType.Integer);
                    copy.Write(clock.GetUtcNow(), NpgsqlDbType.TimestampTz);
                    copy.Write(Actor, NpgsqlDbType.Varchar);
                }
            await copy.CompleteAsync(ct);
        }

        // One commune officer per chosen commune.
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await CreateUser.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>(), [Roles.CommuneOfficer], ct);
        var names = Enumerable.Range(1, count).Select(UserName).ToList();
        var have = (await db.Users.AsNoTracking().Where(u => names.Contains(u.UserName!)).Select(u => u.UserName!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        string? hash = null;
        var officers = 0;
        for (var i = 0; i < count; i++)
        {
            if (have.Contains(names[i])) continue;
            var user = new AppUser
            {
                UserName = names[i], FullName = $"Cán bộ đo tải {i + 1}", UnitId = chosen[i].Id, CreatedAt = clock.GetUtcNow(), LockoutEnabled = false,
            };
            user.PasswordHash = hash ??= hasher.HashPassword(user, DemoUsers.Password);
            var result = await users.CreateAsync(user);
            if (result.Succeeded) result = await users.AddToRoleAsync(user, Roles.CommuneOfficer);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Không tạo được tài khoản '{names[i]}': " + string.Join("; ", result.Errors.Select(e => e.Description)));
            officers++;
        }
        return new BenchOfficersReport(rounds, added.Count, officers, year);
    }
}
