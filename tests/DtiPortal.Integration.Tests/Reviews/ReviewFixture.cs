using DtiPortal.Application.Assessments;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Reviews;
using DtiPortal.Integration.Tests.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reviews;

/// <summary>The data-entry fixture (province P › district D › communes) plus the people of the review path.</summary>
public sealed class ReviewFixture : IAsyncLifetime
{
    public AssessmentFixture Entry { get; } = new();

    public async Task InitializeAsync()
    {
        await Entry.InitializeAsync();
        await using var db = Entry.Db.OwnerContext();
        foreach (var (id, user, name, unit) in new[]
        {
            ("reviewer-d", "thamtra.d", "Lê Minh Tuấn", "D"), ("member-p", "hoidong.p", "Phạm Thu Hằng", "P"),
            ("chair-p", "chutich.p", "Đỗ Quang Vinh", "P"), ("secretary-p", "thuky.p", "Vũ Thị Lan", "P"),
        })
        {
            db.Users.Add(new AppUser
            {
                Id = id, UserName = user, NormalizedUserName = user.ToUpperInvariant(), FullName = name, UnitId = Entry.Units[unit],
                SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Entry.DisposeAsync();

    private IReadOnlySet<int> Subtree(string unit) => Entry.Db.Services.GetRequiredService<UnitHierarchy>().Subtree(Entry.Units[unit]);

    public IUnitScope Officer(string unit = "C1") => Entry.Officer(unit, unit == "C1" ? "officer-1" : "officer-2");
    public IUnitScope Reviewer() => new FixedUnitScope("reviewer-d", "thamtra.d", false, Subtree("D"), new HashSet<string> { Roles.DistrictReviewer }, "127.0.0.1", Entry.Units["D"]);
    public IUnitScope Member() => Council("member-p", "hoidong.p", Roles.CouncilMember);
    public IUnitScope Chair() => Council("chair-p", "chutich.p", Roles.CouncilMember, Roles.CouncilChair);
    public IUnitScope Secretary() => Council("secretary-p", "thuky.p", Roles.CouncilSecretary);
    public IUnitScope Admin() => Entry.ProvincialAdmin();

    private IUnitScope Council(string id, string user, params string[] roles) =>
        new FixedUnitScope(id, user, false, Subtree("P"), roles.ToHashSet(), "127.0.0.1", Entry.Units["P"]);

    /// <summary>Every role of the workflow acting alone, in scope of commune C2 (and C1, C3).</summary>
    public IReadOnlyDictionary<string, IUnitScope> ByRole() => new Dictionary<string, IUnitScope>
    {
        [Roles.CommuneOfficer] = Officer("C2"),
        [Roles.DepartmentOfficer] = new FixedUnitScope("dept-2", "vanphong.c2", false, new HashSet<int> { Entry.Units["C2"] }, new HashSet<string> { Roles.DepartmentOfficer }, "127.0.0.1", Entry.Units["C2"]),
        [Roles.DistrictReviewer] = Reviewer(),
        [Roles.CouncilMember] = Member(),
        [Roles.CouncilChair] = Council("chair-only", "chutich2.p", Roles.CouncilChair),
        [Roles.CouncilSecretary] = Secretary(),
        [Roles.ProvincialAdmin] = Admin(),
    };

    public Task<ReviewResult> TransitionAsync(IUnitScope who, int id, WorkflowAction action, string? reason = null, uint expected = 0) =>
        Entry.AsAsync<TransitionAssessment, ReviewResult>(who, t => t.HandleAsync(id, action, reason, expected));

    public Task<ReviewResult> AppraiseAsync(IUnitScope who, int id, string criterion, AppraisalVerdict verdict, string? reason,
        Dictionary<string, string?>? inputs = null, string? points = null, int expectedVersion = 0) =>
        Entry.AsAsync<RecordAppraisal, ReviewResult>(who, r => r.HandleAsync(id, criterion, new AppraisalInput(verdict, inputs, points, reason), expectedVersion));

    public Task<ReviewModel> ReviewAsync(IUnitScope who, int id) => Entry.AsAsync<ReviewQueries, ReviewModel>(who, q => q.GetAsync(id));

    /// <summary>Fills commune <paramref name="unit"/>'s figures and the evidence 1.2 requires, then submits it as its officer.</summary>
    public async Task FillAndSubmitAsync(int assessmentId, string unit = "C1", string digitalHouseholds = "1.200")
    {
        var who = Officer(unit);
        foreach (var (address, text) in new[]
        {
            ("general:1.4", "9.120"), ("general:1.6", "2.450"), ("1.1", "1"), ("1.2", "có"), ("1.3.a", "6.120"),
            ("1.4.a", "10"), ("1.4.b", "12"), ("1.5.a", digitalHouseholds), ("1.6", "72,5"),
        })
        {
            var r = await Entry.SaveAsync(who, assessmentId, address, text);
            Assert.True(r.Saved, $"{address}: {r.Error}");
        }
        await using (var s = Entry.Db.ScopeAs(who))
            await s.ServiceProvider.GetRequiredService<AddEvidenceLink>().HandleAsync(
                new AddEvidenceLinkRequest(assessmentId, "1.2", "https://lacdao.hungyen.gov.vn/van-ban/ket-noi-mang", DocumentInfo.None));
        var submitted = await Entry.AsAsync<SubmitAssessment, SubmitResult>(who, x => x.HandleAsync(assessmentId, Guid.NewGuid()));
        Assert.True(submitted.Submitted, string.Join("; ", submitted.Issues.Select(i => i.Message)));
    }

    /// <summary>Puts an assessment straight into a state (arranging a case, as the tables' owner).</summary>
    public async Task ForceAsync(int assessmentId, AssessmentStatus status, bool? hasDistrictTier = null)
    {
        await using var db = Entry.Db.OwnerContext();
        await db.Database.ExecuteSqlAsync($"update assessments set status = {status.ToString()}, review_cycle = greatest(review_cycle, 1), returned_criteria = '{{}}' where id = {assessmentId}");
        if (hasDistrictTier is { } tier)
            await db.Database.ExecuteSqlAsync($"update assessment_rounds set has_district_tier = {tier} where id = (select round_id from assessments where id = {assessmentId})");
    }

    public async Task<AssessmentStatus> StatusAsync(int assessmentId)
    {
        await using var db = Entry.Db.OwnerContext();
        return await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.Status).SingleAsync();
    }
}
