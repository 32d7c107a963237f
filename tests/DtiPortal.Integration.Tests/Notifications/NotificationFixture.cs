using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Notifications;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Assessments;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Notifications;

/// <summary>
/// A migrated database with province P › districts D1 (communes C1, C2) and D2 (commune C3), province Q › commune Q1, and
/// people in every role of the review workflow: officers of C1 and C2, reviewers of D1 (one disabled) and D2, the council
/// of P (chair, member, secretary), a council chair of Q and a provincial admin of P (who is never notified).
/// Tests that need rounds make their own (<see cref="NewRoundAsync"/>) with their own deadlines, so reminders of one test
/// never fall in another's window.
/// </summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    public TestDatabase Db { get; } = new();
    public Dictionary<string, int> Units { get; } = [];
    public int SetVersionId { get; private set; }

    public const string OfficerC1 = "off-c1", DeptC1 = "dept-c1", OfficerC2 = "off-c2", OfficerC3 = "off-c3",
        ReviewerD1 = "rev-d1", ReviewerD1Disabled = "rev-d1-off", ReviewerD2 = "rev-d2",
        ChairP = "chair-p", MemberP = "member-p", SecretaryP = "sec-p", ChairQ = "chair-q", AdminP = "admin-p";

    public static readonly string[] CouncilP = [ChairP, MemberP, SecretaryP];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await using (var db = Db.OwnerContext())
        {
            async Task Add(string code, string name, UnitKind kind, string? parent)
            {
                var unit = new AdministrativeUnit("N" + code, name, kind, kind.LevelCode(), parent is null ? null : Units[parent], null, null);
                db.Units.Add(unit);
                await db.SaveChangesAsync();
                Units[code] = unit.Id;
            }
            await Add("P", "Tỉnh Hưng Yên", UnitKind.Tinh, null);
            await Add("D1", "Huyện Văn Lâm", UnitKind.Huyen, "P");
            await Add("C1", "Xã Lạc Đạo", UnitKind.Xa, "D1");
            await Add("C2", "Xã Chỉ Đạo", UnitKind.Xa, "D1");
            await Add("D2", "Huyện Mỹ Hào", UnitKind.Huyen, "P");
            await Add("C3", "Xã Dị Sử", UnitKind.Xa, "D2");
            await Add("Q", "Tỉnh Thái Bình", UnitKind.Tinh, null);
            await Add("Q1", "Xã Đông Hòa", UnitKind.Xa, "Q");

            var roles = Roles.All.ToDictionary(r => r, r => new IdentityRole(r) { NormalizedName = r.ToUpperInvariant() });
            db.Roles.AddRange(roles.Values);
            void User(string id, string fullName, string unit, string role, string? email = null, bool disabled = false)
            {
                db.Users.Add(new AppUser
                {
                    Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), FullName = fullName, UnitId = Units[unit], Email = email,
                    NormalizedEmail = email?.ToUpperInvariant(), IsDisabled = disabled, SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow,
                });
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = roles[role].Id });
            }
            User(OfficerC1, "Nguyễn Thị Hoa", "C1", Roles.CommuneOfficer, "hoa.c1@example.vn");
            User(DeptC1, "Trần Văn Nam", "C1", Roles.DepartmentOfficer);
            User(OfficerC2, "Phạm Thu Hằng", "C2", Roles.CommuneOfficer);
            User(OfficerC3, "Đỗ Minh Đức", "C3", Roles.CommuneOfficer);
            User(ReviewerD1, "Lê Quốc Việt", "D1", Roles.DistrictReviewer, "viet.d1@example.vn");
            User(ReviewerD1Disabled, "Vũ Thị Lan", "D1", Roles.DistrictReviewer, "lan.d1@example.vn", disabled: true);
            User(ReviewerD2, "Hoàng Văn Sơn", "D2", Roles.DistrictReviewer);
            User(ChairP, "Bùi Thị Thu", "P", Roles.CouncilChair, "thu.p@example.vn");
            User(MemberP, "Ngô Văn Hải", "P", Roles.CouncilMember);
            User(SecretaryP, "Đặng Thị Mai", "P", Roles.CouncilSecretary);
            User(ChairQ, "Trịnh Văn Long", "Q", Roles.CouncilChair, "long.q@example.vn");
            User(AdminP, "Quản trị tỉnh", "P", Roles.ProvincialAdmin, "admin.p@example.vn");
            await db.SaveChangesAsync();
        }
        Db.Services.GetRequiredService<UnitHierarchy>().Invalidate();
        await using var s = Db.ScopeAs(FixedUnitScope.System);
        var outcome = await s.ServiceProvider.GetRequiredService<LoadCriteriaSet>().HandleAsync(AssessmentFixture.SetYaml, "test");
        Assert.True(outcome.Succeeded, outcome.Message);
        await using var owner = Db.OwnerContext();
        SetVersionId = await owner.CriteriaSetVersions.Where(v => v.SetId == AssessmentFixture.SetId).Select(v => v.Id).SingleAsync();
    }

    public Task DisposeAsync() => Db.DisposeAsync();

    /// <summary>A round of P with an assessment in the given state for each named commune; returns the round and assessment ids.</summary>
    public async Task<(int RoundId, Dictionary<string, int> Assessments)> NewRoundAsync(
        DateOnly entry, DateOnly review, DateOnly council, bool hasDistrictTier, params (string Unit, AssessmentStatus Status)[] units)
    {
        await using var db = Db.OwnerContext();
        var round = new AssessmentRound(entry.Year, $"Đợt đánh giá CĐS cấp xã năm {entry.Year} ({Guid.NewGuid().ToString("N")[..6]})", SetVersionId,
            Units["P"], UnitLevel.Commune, entry, review, council, hasDistrictTier, DateTimeOffset.UtcNow, "test");
        db.AssessmentRounds.Add(round);
        await db.SaveChangesAsync();
        var ids = new Dictionary<string, int>();
        foreach (var (unit, status) in units)
        {
            var a = new Assessment(round.Id, Units[unit]);
            db.Assessments.Add(a);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"update assessments set status = {status.ToString()} where id = {a.Id}");
            ids[unit] = a.Id;
        }
        return (round.Id, ids);
    }

    public IUnitScope UserScope(string userId, string unit, string role) =>
        new FixedUnitScope(userId, userId, false, Db.Services.GetRequiredService<UnitHierarchy>().Subtree(Units[unit]), new HashSet<string> { role },
            "127.0.0.1", Units[unit]);

    public async Task<List<Notification>> NotificationsAsync(Func<IQueryable<Notification>, IQueryable<Notification>> filter)
    {
        await using var db = Db.OwnerContext();
        return await filter(db.Notifications.AsNoTracking()).OrderBy(n => n.UserId).ThenBy(n => n.Id).ToListAsync();
    }
}
