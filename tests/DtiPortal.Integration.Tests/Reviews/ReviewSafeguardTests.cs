using DtiPortal.Application.Audit;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reviews;

/// <summary>Issue 15's safeguards in the review, through the use cases on a real PostgreSQL.</summary>
public class ReviewSafeguardTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task AcceptingAfterNeedsFix_DropsTheOldReason_AndWhatWasNotAppraisedIsKnown()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await fx.FillAndSubmitAsync(id);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.6", AppraisalVerdict.NeedsFix, "Chưa có số liệu của Bộ phận một cửa")).Ok);
        Assert.Equal("Chưa có số liệu của Bộ phận một cửa", (await fx.ReviewAsync(fx.Reviewer(), id)).Criteria.Single(c => c.Code == "1.6").District!.Reason);

        // A form that still sends the old text with "Chấp nhận" does not keep it: the reason belonged to "Yêu cầu bổ sung".
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.6", AppraisalVerdict.Accepted, "Chưa có số liệu của Bộ phận một cửa", expectedVersion: 1)).Ok);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, "Biên bản chỉ ghi 8 cuộc họp", new() { ["1.4.a"] = "8" })).Ok);

        var review = await fx.ReviewAsync(fx.Reviewer(), id);
        var accepted = review.Criteria.Single(c => c.Code == "1.6").District!;
        Assert.Equal(AppraisalVerdict.Accepted, accepted.Verdict);
        Assert.Null(accepted.Reason);
        Assert.Equal("Biên bản chỉ ghi 8 cuộc họp", review.Criteria.Single(c => c.Code == "1.4").District!.Reason); // a correction keeps its reason
        await using (var db = fx.Entry.Db.OwnerContext())
            Assert.Null((await db.CriterionAppraisals.SingleAsync(x => x.AssessmentId == id && x.CriterionCode == "1.6")).Reason);
        var unit = await fx.Entry.AsAsync<ReviewQueries, UnitReviewInfo>(fx.Officer(), q => q.ForUnitAsync(id));
        Assert.False(unit.ReasonsByCriterion.ContainsKey("1.6"));

        // The forward confirmation lists every criterion the district has not appraised, and only those.
        var leaves = review.Criteria.Where(c => !c.IsGroup).Select(c => c.Code).ToList();
        Assert.Equal(leaves.Except(["1.4", "1.6"]), review.NotAppraised(ReviewTier.District).Select(c => c.Code));
        Assert.Equal(leaves, review.NotAppraised(ReviewTier.Council).Select(c => c.Code));
        Assert.Equal(leaves.Count, review.Appraisable.Count);
    }

    [Fact]
    public async Task EvidenceAddedOrRemovedAfterAReturn_IsListedAsAChangeOfItsCriterion()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await fx.FillAndSubmitAsync(id); // 1.2 carries a link
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        Assert.Empty((await fx.ReviewAsync(fx.Reviewer(), id)).Criteria.SelectMany(c => c.EvidenceChanged)); // first submission: nothing to compare
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.2", AppraisalVerdict.NeedsFix, "Đường dẫn không mở được")).Ok);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.1", AppraisalVerdict.NeedsFix, "Thiếu kế hoạch")).Ok);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ReturnToUnit, "Bổ sung tài liệu kiểm chứng")).Ok);

        // The commune removes the broken link of 1.2, attaches a file instead, and adds a link to 1.1.
        int linkId;
        await using (var db = fx.Entry.Db.OwnerContext())
            linkId = await db.EvidenceFiles.Where(e => e.AssessmentId == id && e.CriterionCode == "1.2").Select(e => e.Id).SingleAsync();
        await using (var s = fx.Entry.Db.ScopeAs(fx.Officer()))
        {
            await s.ServiceProvider.GetRequiredService<DeleteEvidence>().HandleAsync(linkId);
            await s.ServiceProvider.GetRequiredService<AddEvidenceLink>().HandleAsync(
                new AddEvidenceLinkRequest(id, "1.1", "https://lacdao.hungyen.gov.vn/van-ban/ke-hoach-cds-2024", DocumentInfo.None));
        }
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            db.EvidenceFiles.Add(EvidenceFile.ForFile(fx.Entry.Units["C1"], id, "1.2", $"evidence/{Guid.NewGuid():N}", "bien-ban-ket-noi-mang.pdf", "application/pdf",
                1234, new string('a', 64), DocumentInfo.None, DateTimeOffset.UtcNow, "officer-1"));
            await db.SaveChangesAsync();
        }
        var resubmitted = await fx.Entry.AsAsync<Application.Assessments.SubmitAssessment, Application.Assessments.SubmitResult>(fx.Officer(), x => x.HandleAsync(id, Guid.NewGuid()));
        Assert.True(resubmitted.Submitted, string.Join("; ", resubmitted.Issues.Select(i => i.Message)));
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);

        var review = await fx.ReviewAsync(fx.Reviewer(), id);
        var c12 = review.Criteria.Single(c => c.Code == "1.2");
        Assert.True(c12.ChangedSinceLastReview);
        Assert.Equal(
            [("liên kết https://lacdao.hungyen.gov.vn/van-ban/ket-noi-mang", false), ("bien-ban-ket-noi-mang.pdf", true)],
            c12.EvidenceChanged.Select(e => (e.Name, e.Added)));
        var c11 = review.Criteria.Single(c => c.Code == "1.1");
        Assert.True(c11.ChangedSinceLastReview);
        Assert.Equal([("liên kết https://lacdao.hungyen.gov.vn/van-ban/ke-hoach-cds-2024", true)], c11.EvidenceChanged.Select(e => (e.Name, e.Added)));
        Assert.Equal(["1.1", "1.2"], review.Criteria.Where(c => c.ChangedSinceLastReview).Select(c => c.Code).Order());
    }

    [Fact]
    public async Task Approval_NumbersMinutesAndDecisionInTheirOwnRegisters_AndTheMinutesNoteCarriesTheReasons()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        foreach (var unit in new[] { "C1", "C2" })
        {
            var id = a[unit];
            await fx.FillAndSubmitAsync(id, unit);
            Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
            Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, "Biên bản chỉ ghi 8 cuộc họp", new() { ["1.4.a"] = "8" })).Ok);
            Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ForwardToCouncil)).Ok);
            Assert.True((await fx.TransitionAsync(fx.Chair(), id, WorkflowAction.StartCouncilAppraisal)).Ok);
            Assert.True((await fx.AppraiseAsync(fx.Chair(), id, "1.4", AppraisalVerdict.Corrected, "Hội đồng đối chiếu: 9 cuộc họp", new() { ["1.4.a"] = "9" })).Ok);
            var before = await fx.ReviewAsync(fx.Chair(), id);
            var approved = await fx.TransitionAsync(fx.Chair(), id, WorkflowAction.Approve, expected: before.RowVersion);
            Assert.True(approved.Ok, approved.Error);
        }
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var c1 = await db.RecognisedResults.SingleAsync(r => r.AssessmentId == a["C1"]);
            var c2 = await db.RecognisedResults.SingleAsync(r => r.AssessmentId == a["C2"]);
            Assert.Equal(["01/QĐ-UBND", "02/QĐ-UBND"], new[] { c1.DocumentNumber, c2.DocumentNumber });
            Assert.Equal(["01/BB-HĐTĐ", "02/BB-HĐTĐ"], new[] { c1.MinutesNumber!, c2.MinutesNumber! });
            var note = Recognition.ReadRows(c1.ResultJson).Single(r => r.Code == "1.4").Note;
            Assert.Contains("Cấp huyện thẩm tra: Biên bản chỉ ghi 8 cuộc họp", note);
            Assert.Contains("Hội đồng thẩm định: Hội đồng đối chiếu: 9 cuộc họp", note);
            Assert.Null(Recognition.ReadRows(c1.ResultJson).Single(r => r.Code == "1.1").Note);
        }
    }

    [Fact]
    public void DocumentNumbering_IsSeparateByDefault_ConfigurableAndChecked_AndBlanksPrintAsBlanks()
    {
        var defaults = DocumentNumbering.From(null);
        Assert.False(defaults.SharedSequence);
        Assert.Equal("07/BB-HĐTĐ", defaults.Minutes(7, 2026));
        Assert.Equal("12/QĐ-UBND", defaults.Decision(12, 2026));
        var custom = DocumentNumbering.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DocumentNumbering:SharedSequence"] = "true", ["DocumentNumbering:DecisionFormat"] = "{0}/{1}/QĐ-CT",
        }).Build());
        Assert.True(custom.SharedSequence);
        Assert.Equal("3/2026/QĐ-CT", custom.Decision(3, 2026));
        var bad = Assert.Throws<InvalidOperationException>(() => DocumentNumbering.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DocumentNumbering:MinutesFormat"] = "{0/BB" }).Build()));
        Assert.Contains("DocumentNumbering:MinutesFormat", bad.Message);

        Assert.Equal("……/QĐ-UBND", DocumentNumbering.Printable("/QĐ-UBND"));
        Assert.Equal("……", DocumentNumbering.Printable(" "));
        Assert.Equal("12/QĐ-UBND", DocumentNumbering.Printable("12/QĐ-UBND"));
    }

    [Fact]
    public async Task AuditPage_NamesPeopleAndActionsInVietnamese_AndFindsAUserByPartOfTheirName()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C3"];
        await fx.ForceAsync(id, AssessmentStatus.Submitted);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);

        var page = await fx.Entry.AsAsync<AuditQueries, AuditPage>(fx.Admin(), q => q.SearchAsync(new AuditFilter(User: "Minh Tuấn", Action: "Workflow")));
        var entry = Assert.Single(page.Items, e => e.EntityId == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Lê Minh Tuấn (thamtra.d)", entry.Who);
        Assert.Equal("Xử lý hồ sơ đánh giá", entry.ActionName);
        Assert.Equal($"Bản đánh giá #{id}", entry.What);

        // An entry about an account names the account, never its id.
        await fx.Entry.AsAsync<IAuditLog, bool>(fx.Admin(), async log =>
        {
            await log.WriteAsync(new AuditEvent("UserDisabled", "AppUser", "member-p", fx.Entry.Units["P"], Detail: "Vô hiệu hóa tài khoản"));
            return true;
        });
        var disabled = (await fx.Entry.AsAsync<AuditQueries, AuditPage>(fx.Admin(), q => q.SearchAsync(new AuditFilter(Action: "UserDisabled")))).Items;
        Assert.Contains(disabled, e => e.What == "Tài khoản Phạm Thu Hằng (hoidong.p)" && e.ActionName == "Vô hiệu hóa tài khoản");
    }
}
