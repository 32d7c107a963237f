using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using S = DtiPortal.Domain.Assessments.AssessmentStatus;
using A = DtiPortal.Domain.Reviews.WorkflowAction;

namespace DtiPortal.Domain.Tests.Reviews;

public class AssessmentWorkflowTests
{
    // Copies of DtiPortal.Application.Identity.Roles (Domain.Tests cannot reference the Application).
    private const string CommuneOfficer = "CommuneOfficer";
    private const string DepartmentOfficer = "DepartmentOfficer";
    private const string DistrictReviewer = "DistrictReviewer";
    private const string CouncilMember = "CouncilMember";
    private const string CouncilChair = "CouncilChair";
    private const string CouncilSecretary = "CouncilSecretary";
    private const string ProvincialAdmin = "ProvincialAdmin";
    private const string SystemAdmin = "SystemAdmin";

    private static readonly string[] AllRoles =
        [CommuneOfficer, DepartmentOfficer, DistrictReviewer, CouncilMember, CouncilChair, CouncilSecretary, ProvincialAdmin, SystemAdmin];

    private const string Reason = "Thiếu tài liệu kiểm chứng cho tiêu chí 1.1.1";

    /// <summary>
    /// The rules of issue 6 written out independently of the table, so the exhaustive test checks the table against
    /// the issue rather than against itself.
    /// </summary>
    private static S? Expected(S state, A action, string role, bool tier) => (state, action) switch
    {
        (S.Draft, A.Submit) when role == CommuneOfficer => S.Submitted,
        (S.Returned, A.Resubmit) when role == CommuneOfficer => S.Submitted,
        (S.Submitted, A.StartDistrictReview) when tier && role == DistrictReviewer => S.UnderDistrictReview,
        (S.UnderDistrictReview, A.ReturnToUnit) when tier && role == DistrictReviewer => S.Returned,
        (S.UnderDistrictReview, A.ForwardToCouncil) when tier && role == DistrictReviewer => S.Forwarded,
        (S.Forwarded, A.StartCouncilAppraisal) when tier && role is CouncilMember or CouncilChair or CouncilSecretary => S.UnderCouncilAppraisal,
        (S.Submitted, A.StartCouncilAppraisal) when !tier && role is CouncilMember or CouncilChair or CouncilSecretary => S.UnderCouncilAppraisal,
        (S.UnderCouncilAppraisal, A.ReturnFromCouncil) when role == CouncilChair => S.Returned,
        (S.UnderCouncilAppraisal, A.Approve) when role == CouncilChair => S.Approved,
        (S.Approved, A.Publish) when role is ProvincialAdmin or SystemAdmin => S.Published,
        _ => null,
    };

    public static TheoryData<S, A, string, bool> EveryCombination()
    {
        var data = new TheoryData<S, A, string, bool>();
        foreach (var s in Enum.GetValues<S>())
            foreach (var a in Enum.GetValues<A>())
                foreach (var r in AllRoles)
                    foreach (var tier in new[] { true, false })
                        data.Add(s, a, r, tier);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Apply_SucceedsExactlyWhenTheIssueAllowsIt(S state, A action, string role, bool hasDistrictTier)
    {
        var expected = Expected(state, action, role, hasDistrictTier);
        if (expected is { } to)
        {
            Assert.Equal(to, AssessmentWorkflow.Apply(state, action, [role], hasDistrictTier, Reason));
            Assert.Contains(action, AssessmentWorkflow.Allowed(state, [role], hasDistrictTier));
        }
        else
        {
            var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(state, action, [role], hasDistrictTier, Reason));
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            Assert.DoesNotContain(action, AssessmentWorkflow.Allowed(state, [role], hasDistrictTier));
        }
    }

    [Fact]
    public void Allowed_ListsExactlyWhatApplyAccepts_ForEveryStateRoleAndTier()
    {
        foreach (var s in Enum.GetValues<S>())
            foreach (var r in AllRoles)
                foreach (var tier in new[] { true, false })
                {
                    var accepted = Enum.GetValues<A>().Where(a => Accepts(s, a, [r], tier)).ToArray();
                    Assert.Equal(accepted, AssessmentWorkflow.Allowed(s, [r], tier).OrderBy(a => a).ToArray());
                }
    }

    [Fact]
    public void Allowed_ForSeveralRoles_IsTheUnionOfWhatEachRoleMayDo()
    {
        string[] both = [CouncilMember, CouncilChair];
        Assert.Equal([A.ReturnFromCouncil, A.Approve], AssessmentWorkflow.Allowed(S.UnderCouncilAppraisal, both, true));
        Assert.Equal(S.Approved, AssessmentWorkflow.Apply(S.UnderCouncilAppraisal, A.Approve, both, false, null));
    }

    [Fact]
    public void NoRoles_NothingIsOffered_AndEverythingIsRefused()
    {
        foreach (var s in Enum.GetValues<S>())
            foreach (var tier in new[] { true, false })
            {
                Assert.Empty(AssessmentWorkflow.Allowed(s, [], tier));
                foreach (var a in Enum.GetValues<A>())
                    Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(s, a, [], tier, Reason));
            }
    }

    [Fact]
    public void RoleNames_AreTheApplicationsRoleIdentifiers()
    {
        string[] workflowRoles = [.. AssessmentWorkflow.Transitions.SelectMany(t => t.Roles).Distinct()];
        Assert.All(workflowRoles, r => Assert.Contains(r, AllRoles));
        Assert.DoesNotContain(DepartmentOfficer, workflowRoles);
    }

    [Fact]
    public void ThreeTier_HappyPath_DraftToPublished()
    {
        var s = S.Draft;
        s = AssessmentWorkflow.Apply(s, A.Submit, [CommuneOfficer], true, null);
        Assert.Equal(S.Submitted, s);
        s = AssessmentWorkflow.Apply(s, A.StartDistrictReview, [DistrictReviewer], true, null);
        Assert.Equal(S.UnderDistrictReview, s);
        s = AssessmentWorkflow.Apply(s, A.ForwardToCouncil, [DistrictReviewer], true, null);
        Assert.Equal(S.Forwarded, s);
        s = AssessmentWorkflow.Apply(s, A.StartCouncilAppraisal, [CouncilSecretary], true, null);
        Assert.Equal(S.UnderCouncilAppraisal, s);
        s = AssessmentWorkflow.Apply(s, A.Approve, [CouncilChair], true, null);
        Assert.Equal(S.Approved, s);
        s = AssessmentWorkflow.Apply(s, A.Publish, [ProvincialAdmin], true, null);
        Assert.Equal(S.Published, s);
        Assert.All(AllRoles, r => Assert.Empty(AssessmentWorkflow.Allowed(S.Published, [r], true)));
    }

    [Fact]
    public void ThreeTier_ReturnedByDistrict_IsResubmittedAndReviewedAgain()
    {
        var s = AssessmentWorkflow.Apply(S.UnderDistrictReview, A.ReturnToUnit, [DistrictReviewer], true, Reason);
        Assert.Equal(S.Returned, s);
        s = AssessmentWorkflow.Apply(s, A.Resubmit, [CommuneOfficer], true, null);
        Assert.Equal(S.Submitted, s);
        Assert.Equal([A.StartDistrictReview], AssessmentWorkflow.Allowed(s, [DistrictReviewer], true));
    }

    [Fact]
    public void TwoTier_SubmittedGoesToTheCouncilDirectly()
    {
        var s = AssessmentWorkflow.Apply(S.Draft, A.Submit, [CommuneOfficer], false, null);
        Assert.Equal([A.StartCouncilAppraisal], AssessmentWorkflow.Allowed(s, [CouncilMember], false));
        Assert.Empty(AssessmentWorkflow.Allowed(s, [DistrictReviewer], false));
        s = AssessmentWorkflow.Apply(s, A.StartCouncilAppraisal, [CouncilMember], false, null);
        Assert.Equal(S.UnderCouncilAppraisal, s);
        s = AssessmentWorkflow.Apply(s, A.ReturnFromCouncil, [CouncilChair], false, Reason);
        Assert.Equal(S.Returned, s);
        s = AssessmentWorkflow.Apply(s, A.Resubmit, [CommuneOfficer], false, null);
        s = AssessmentWorkflow.Apply(s, A.StartCouncilAppraisal, [CouncilChair], false, null);
        s = AssessmentWorkflow.Apply(s, A.Approve, [CouncilChair], false, null);
        Assert.Equal(S.Published, AssessmentWorkflow.Apply(s, A.Publish, [SystemAdmin], false, null));
    }

    [Fact]
    public void TwoTier_DistrictReviewIsRefusedWithTheRoundsReason()
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Submitted, A.StartDistrictReview, [DistrictReviewer], false, null));
        Assert.Contains("không có cấp huyện", ex.Message);
    }

    [Fact]
    public void ThreeTier_CouncilCannotSkipTheDistrict()
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Submitted, A.StartCouncilAppraisal, [CouncilMember], true, null));
        Assert.Contains("có cấp huyện", ex.Message);
    }

    [Theory]
    [InlineData(S.UnderDistrictReview, A.ReturnToUnit, DistrictReviewer, true)]
    [InlineData(S.UnderCouncilAppraisal, A.ReturnFromCouncil, CouncilChair, true)]
    [InlineData(S.UnderCouncilAppraisal, A.ReturnFromCouncil, CouncilChair, false)]
    public void Returns_RequireAReason(S state, A action, string role, bool tier)
    {
        foreach (var blank in new[] { null, "", "   " })
        {
            var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(state, action, [role], tier, blank));
            Assert.Equal("Phải nêu lý do khi trả lại.", ex.Message);
        }
        Assert.Equal(S.Returned, AssessmentWorkflow.Apply(state, action, [role], tier, Reason));
        Assert.True(AssessmentWorkflow.RequiresReason(action));
    }

    [Fact]
    public void OnlyReturnsRequireAReason()
    {
        Assert.Equal([A.ReturnToUnit, A.ReturnFromCouncil], Enum.GetValues<A>().Where(AssessmentWorkflow.RequiresReason).ToArray());
        Assert.All(AssessmentWorkflow.Transitions.Where(t => t.RequiresReason), t => Assert.Equal(S.Returned, t.To));
    }

    [Fact]
    public void WrongRole_IsRefusedWithTheRoleMessage()
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Submitted, A.Approve, [CommuneOfficer], true, null));
        Assert.Equal("Vai trò của bạn không được chuyển đánh giá từ 'Đã nộp' sang 'Đã phê duyệt'.", ex.Message);
        ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.UnderCouncilAppraisal, A.Approve, [CouncilMember], true, null));
        Assert.Equal("Vai trò của bạn không được chuyển đánh giá từ 'Hội đồng đang thẩm định' sang 'Đã phê duyệt'.", ex.Message);
    }

    [Fact]
    public void RightRole_WrongState_IsRefusedWithTheStateMessage()
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Submitted, A.Approve, [CouncilChair], true, null));
        Assert.Equal("Không thể chuyển đánh giá từ 'Đã nộp' sang 'Đã phê duyệt'.", ex.Message);
        Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Approved, A.Approve, [CouncilChair], true, null));
        Assert.Throws<DomainException>(() => AssessmentWorkflow.Apply(S.Submitted, A.Submit, [CommuneOfficer], true, null));
    }

    [Fact]
    public void EveryStateAndActionHasAVietnameseName()
    {
        Assert.All(Enum.GetValues<S>(), s => Assert.NotEqual(s.ToString(), AssessmentWorkflow.StateName(s)));
        Assert.All(Enum.GetValues<A>(), a => Assert.NotEqual(a.ToString(), AssessmentWorkflow.ActionName(a)));
        Assert.Equal(Enum.GetValues<S>().Length, Enum.GetValues<S>().Select(AssessmentWorkflow.StateName).Distinct().Count());
        Assert.Equal(Enum.GetValues<A>().Length, Enum.GetValues<A>().Select(AssessmentWorkflow.ActionName).Distinct().Count());
    }

    [Fact]
    public void Table_HasOneTargetPerAction_AndNoDuplicateRows()
    {
        Assert.All(AssessmentWorkflow.Transitions.GroupBy(t => t.Action), g => Assert.Single(g.Select(t => t.To).Distinct()));
        Assert.Equal(AssessmentWorkflow.Transitions.Count,
            AssessmentWorkflow.Transitions.Select(t => (t.From, t.Action, t.Tier)).Distinct().Count());
        Assert.All(Enum.GetValues<A>(), a => Assert.Contains(AssessmentWorkflow.Transitions, t => t.Action == a));
    }

    private static bool Accepts(S s, A a, string[] roles, bool tier)
    {
        try { AssessmentWorkflow.Apply(s, a, roles, tier, Reason); return true; }
        catch (DomainException) { return false; }
    }
}
