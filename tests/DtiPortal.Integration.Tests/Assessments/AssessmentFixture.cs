using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

/// <summary>
/// A migrated database with province P › district D › communes C1, C2, C3 (valid in 2024), a commune merged away in
/// 2023 and one formed in 2025 under P, province Q › commune Q1; a small commune set (<see cref="SetYaml"/>) with every
/// kind of value data entry must handle; users: two officers of C1, a department officer of C1, an officer of C2.
/// Each test opens its own round (<see cref="NewRoundAsync"/>), so tests do not see each other's figures.
/// </summary>
public sealed class AssessmentFixture : IAsyncLifetime
{
    public const string SetId = "test-commune-entry";
    public const string Office = "Văn phòng - Thống kê";

    public const string SetYaml = """
        format: dti-criteria/1
        id: test-commune-entry
        version: 1
        name: Bộ chỉ số thử nghiệm nhập liệu cấp xã
        level: commune
        year: 2024
        decision: { number: 1/QĐ-TEST, date: 2024-01-01, issuer: UBND tỉnh thử nghiệm }
        maxPoints: 100
        general:
          - { code: "1.4", key: population, label: Số lượng dân số của xã, unit: người, type: integer }
          - { code: "1.6", key: households, label: Số lượng hộ gia đình, unit: hộ, type: integer }
          - { code: "1.20", key: contactName, label: Chuyên viên cung cấp số liệu, type: text }
          - { code: "1.21", key: reportDate, label: Ngày lập báo cáo, type: date }
        tree:
          - code: "1"
            name: Nhóm thử
            max: 100
            children:
              - code: "1.1"
                name: Trưởng Ban chỉ đạo chuyển đổi số
                max: 20
                method: choice
                options:
                  - { label: Chủ tịch UBND xã, fraction: 1 }
                  - { label: Phó Chủ tịch UBND xã, fraction: 1/2 }
                  - { label: Chưa phân công, fraction: 0 }
                lead: Văn phòng - Thống kê
              - code: "1.2"
                name: Có kết nối mạng truyền số liệu chuyên dùng
                max: 10
                method: yesno
                evidence: ["Văn bản, tài liệu chứng minh"]
                evidenceRequired: true
              - code: "1.3"
                name: Tỷ lệ dân số có điện thoại thông minh
                max: 30
                method: ratio
                ratio: a/b
                inputs:
                  - { key: a, label: Số người dân có điện thoại thông minh, unit: người }
                  - { key: b, label: Tổng dân số, unit: người, general: population }
              - code: "1.4"
                name: Tỷ lệ cuộc họp có Chủ tịch chủ trì
                max: 20
                method: ratio
                ratio: a/b
                inputs:
                  - { key: a, label: Số cuộc họp có Chủ tịch chủ trì, unit: cuộc họp }
                  - { key: b, label: Tổng số cuộc họp, unit: cuộc họp }
                lead: Văn hóa - Xã hội
              - code: "1.5"
                name: Tỷ lệ hộ gia đình dùng dịch vụ số
                max: 10
                method: peer-relative
                mode: min-max
                ratio: a/b
                inputs:
                  - { key: a, label: Số hộ dùng dịch vụ số, unit: hộ }
                  - { key: b, label: Tổng số hộ, unit: hộ, general: households }
                period: [Q1, Q2]
              - code: "1.6"
                name: Tỷ lệ hồ sơ trực tuyến toàn trình
                max: 10
                method: ratio
        """;

    public TestDatabase Db { get; } = new();
    public Dictionary<string, int> Units { get; } = [];
    public int SetVersionId { get; private set; }

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await using (var db = Db.OwnerContext())
        {
            async Task Add(string code, UnitKind kind, string? parent, DateOnly? from = null, DateOnly? to = null)
            {
                var unit = new AdministrativeUnit(code, "Xã " + code, kind, kind.LevelCode(), parent is null ? null : Units[parent], from, to);
                db.Units.Add(unit);
                await db.SaveChangesAsync();
                Units[code] = unit.Id;
            }
            await Add("P", UnitKind.Tinh, null);
            await Add("D", UnitKind.Huyen, "P");
            await Add("C1", UnitKind.Xa, "D");
            await Add("C2", UnitKind.Xa, "D");
            await Add("C3", UnitKind.ThiTran, "D");
            await Add("OLD", UnitKind.Xa, "D", to: new DateOnly(2023, 12, 31));
            await Add("NEW", UnitKind.Xa, "P", from: new DateOnly(2025, 7, 1));
            await Add("Q", UnitKind.Tinh, null);
            await Add("Q1", UnitKind.Xa, "Q");
            db.Users.AddRange(
                User("officer-1", "xa.c1", "Nguyễn Thị Hoa", "C1", null),
                User("officer-1b", "xa.c1b", "Lê Văn Bình", "C1", null),
                User("dept-1", "vanphong.c1", "Trần Văn Nam", "C1", "van phong - THONG KE"), // folded comparison
                User("officer-2", "xa.c2", "Phạm Thu Hằng", "C2", null));
            await db.SaveChangesAsync();
        }
        Db.Services.GetRequiredService<UnitHierarchy>().Invalidate();
        await using var s = Db.ScopeAs(FixedUnitScope.System);
        var outcome = await s.ServiceProvider.GetRequiredService<LoadCriteriaSet>().HandleAsync(SetYaml, "test");
        Assert.True(outcome.Succeeded, outcome.Message + string.Join("; ", outcome.Errors.Select(e => e.ToString())));
        await using var owner = Db.OwnerContext();
        SetVersionId = await owner.CriteriaSetVersions.Where(v => v.SetId == SetId).Select(v => v.Id).SingleAsync();
    }

    private AppUser User(string id, string userName, string fullName, string unit, string? department) => new()
    {
        Id = id, UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), FullName = fullName, UnitId = Units[unit],
        Department = department, SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow,
    };

    public Task DisposeAsync() => Db.DisposeAsync();

    public IUnitScope Officer(string unit = "C1", string userId = "officer-1") =>
        new FixedUnitScope(userId, "xa." + unit.ToLowerInvariant(), false, new HashSet<int> { Units[unit] }, new HashSet<string> { Roles.CommuneOfficer },
            "127.0.0.1", Units[unit]);

    public IUnitScope DepartmentOfficer() =>
        new FixedUnitScope("dept-1", "vanphong.c1", false, new HashSet<int> { Units["C1"] }, new HashSet<string> { Roles.DepartmentOfficer },
            "127.0.0.1", Units["C1"]);

    public IUnitScope ProvincialAdmin(string province = "P") =>
        new FixedUnitScope("admin-" + province, "quantri." + province, false, Db.Services.GetRequiredService<UnitHierarchy>().Subtree(Units[province]),
            new HashSet<string> { Roles.ProvincialAdmin }, "127.0.0.1", Units[province]);

    /// <summary>
    /// A round of the 2024 assessment whose deadlines are still ahead (issue 15: after the entry deadline entry is refused),
    /// so tests of entry and review run on any day. Tests of the deadline itself set past dates with <c>with { … }</c>.
    /// </summary>
    public CreateRoundRequest Request(string name = "Đợt thử 2024") => new(2024, name, SetVersionId, Units["P"], UnitLevel.Commune,
        FutureEntryDeadline, FutureEntryDeadline.AddDays(4), FutureEntryDeadline.AddDays(14), HasDistrictTier: true);

    public static readonly DateOnly FutureEntryDeadline = new(2099, 12, 11);

    /// <summary>Opens a round for P (as its provincial admin) and returns its id and the assessment id of each commune code.</summary>
    public async Task<(int RoundId, Dictionary<string, int> Assessments)> NewRoundAsync()
    {
        await using var s = Db.ScopeAs(ProvincialAdmin());
        var result = await s.ServiceProvider.GetRequiredService<RoundAdmin>().CreateAsync(Request());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        await using var owner = Db.OwnerContext();
        var byUnit = await owner.Assessments.Where(a => a.RoundId == result.RoundId).ToDictionaryAsync(a => a.UnitId, a => a.Id);
        return (result.RoundId!.Value, Units.Where(u => byUnit.ContainsKey(u.Value)).ToDictionary(u => u.Key, u => byUnit[u.Value]));
    }

    /// <summary>Runs a use case in a fresh DI scope acting as the user.</summary>
    public async Task<TResult> AsAsync<TUseCase, TResult>(IUnitScope scope, Func<TUseCase, Task<TResult>> action) where TUseCase : notnull
    {
        await using var s = Db.ScopeAs(scope);
        return await action(s.ServiceProvider.GetRequiredService<TUseCase>());
    }

    public Task<SaveValueResult> SaveAsync(IUnitScope scope, int assessmentId, string address, string? text, int expectedVersion = 0) =>
        AsAsync<SaveValue, SaveValueResult>(scope, u => u.HandleAsync(assessmentId, address, text, expectedVersion));
}
