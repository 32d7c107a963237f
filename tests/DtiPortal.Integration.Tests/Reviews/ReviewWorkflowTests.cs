using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Reviews;

/// <summary>The review path through the service layer on a real PostgreSQL (issue 6).</summary>
public class ReviewWorkflowTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task OneCommune_FromSubmissionToPublication_CorrectedReturnedResubmittedForwardedApprovedReopenedPublished()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await fx.FillAndSubmitAsync(id);
        await fx.FillAndSubmitAsync(a["C2"], "C2", digitalHouseholds: "2.000");

        // District review: one criterion corrected, one sent back.
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        var refused = await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, reason: null, new() { ["1.4.a"] = "8" });
        Assert.Equal(AppraisalRules.ReasonRequired, refused.Error);
        var bad = await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, "Biên bản chỉ ghi 8 cuộc họp", new() { ["1.4.a"] = "tám" });
        Assert.False(bad.Ok);
        Assert.Contains("Số cuộc họp có Chủ tịch chủ trì", bad.Error);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, "Biên bản chỉ ghi 8 cuộc họp", new() { ["1.4.a"] = "8" })).Ok);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.6", AppraisalVerdict.NeedsFix, "Chưa có số liệu của Bộ phận một cửa")).Ok);

        var review = await fx.ReviewAsync(fx.Reviewer(), id);
        Assert.Equal(13.33m, review.Criteria.Single(c => c.Code == "1.4").AchievedPoints); // 20 × 8/12, to two decimals
        Assert.Equal(16.67m, review.Criteria.Single(c => c.Code == "1.4").SelfPoints);
        Assert.True(review.AchievedTotal < review.SelfTotal);

        var noReason = await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ReturnToUnit, "  ");
        Assert.Equal(AssessmentWorkflow.ReasonRequiredMessage, noReason.Error);
        var forwardTooEarly = await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ForwardToCouncil);
        Assert.Contains("1.6", forwardTooEarly.Error);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ReturnToUnit, "Đề nghị bổ sung tiêu chí 1.6")).Ok);
        Assert.Equal(AssessmentStatus.Returned, await fx.StatusAsync(id));

        // The unit sees why, and may change only what was returned.
        var info = await fx.Entry.AsAsync<ReviewQueries, UnitReviewInfo>(fx.Officer(), q => q.ForUnitAsync(id));
        Assert.Equal(["1.6"], info.ReturnedCriteria);
        Assert.Contains("Chưa có số liệu của Bộ phận một cửa", Assert.Single(info.ReasonsByCriterion["1.6"]));
        var entry = await fx.Entry.AsAsync<AssessmentQueries, EntryModel>(fx.Officer(), q => q.GetEntryAsync(id));
        Assert.Equal(["1.6"], entry.EditableCriteria.Order());
        Assert.False(entry.CanEditGeneral);
        var notReturned = await fx.Entry.SaveAsync(fx.Officer(), id, "1.1", "2", expectedVersion: 1);
        Assert.Equal(AppraisalRules.NotReturnedMessage, notReturned.Error);
        Assert.Equal(AppraisalRules.GeneralNotReturnedMessage, (await fx.Entry.SaveAsync(fx.Officer(), id, "general:1.4", "9.000", expectedVersion: 1)).Error);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "1.6", "80", expectedVersion: 1)).Saved);
        var resubmitted = await fx.Entry.AsAsync<SubmitAssessment, SubmitResult>(fx.Officer(), x => x.HandleAsync(id, Guid.NewGuid()));
        Assert.True(resubmitted.Submitted);

        // The reviewer sees what changed since the last review, then forwards.
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        review = await fx.ReviewAsync(fx.Reviewer(), id);
        Assert.Equal(2, review.Cycle);
        var changed = review.Criteria.Single(c => c.Code == "1.6");
        Assert.True(changed.ChangedSinceLastReview);
        Assert.Equal("72,5", changed.Inputs.Single().PreviousValue);
        Assert.Equal(["1.6"], review.Criteria.Where(c => c.ChangedSinceLastReview).Select(c => c.Code));
        var stale = await fx.AppraiseAsync(fx.Reviewer(), id, "1.6", AppraisalVerdict.Accepted, null, expectedVersion: 0);
        Assert.True(stale.Conflict);
        Assert.True((await fx.AppraiseAsync(fx.Reviewer(), id, "1.6", AppraisalVerdict.Accepted, null, expectedVersion: 1)).Ok);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ForwardToCouncil)).Ok);

        // The council appraises, votes; the chair approves.
        Assert.False((await fx.TransitionAsync(fx.Member(), id, WorkflowAction.Approve)).Ok);
        Assert.True((await fx.TransitionAsync(fx.Member(), id, WorkflowAction.StartCouncilAppraisal)).Ok);
        Assert.True((await fx.Entry.AsAsync<CastVote, ReviewResult>(fx.Member(), v => v.HandleAsync(id, true, null))).Ok);
        Assert.False((await fx.Entry.AsAsync<CastVote, ReviewResult>(fx.Reviewer(), v => v.HandleAsync(id, true, null))).Ok);
        var before = await fx.ReviewAsync(fx.Chair(), id);
        Assert.Contains(WorkflowAction.Approve, before.Can.Actions);
        Assert.True((await fx.TransitionAsync(fx.Chair(), id, WorkflowAction.Approve, expected: before.RowVersion)).Ok);

        // Recognised: the engine's score of the appraised figures, against the round's cohort.
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var result = await db.RecognisedResults.SingleAsync(r => r.AssessmentId == id);
            var set = Domain.Criteria.CriteriaSetLoader.Parse(Assessments.AssessmentFixture.SetYaml).Set!;
            UnitValues Unit(string key, string oneSix, decimal meetings, decimal households) => new(key, new Dictionary<string, object?>
            {
                ["1.1"] = 1, ["1.2"] = true, ["1.3.a"] = 6120m, ["1.4.a"] = meetings, ["1.4.b"] = 12m, ["1.5.a"] = households, ["1.6"] = decimal.Parse(oneSix),
            }, new Dictionary<string, object?> { ["1.4"] = 9120m, ["1.6"] = 2450m });
            var expected = ScoringEngine.Score(set, [Unit("c1", "80", 8, 1200), Unit("c2", "72.5", 10, 2000), new UnitValues("c3", new Dictionary<string, object?>())]).Unit("c1");
            Assert.Equal(expected.Total, result.Total);
            Assert.NotEqual(result.SelfTotal, result.Total);
            Assert.Equal(1, result.Version);
            Assert.Equal(expected.Total, (await db.Assessments.SingleAsync(x => x.Id == id)).RecognisedTotal);
            Assert.Matches(@"^\d{2}/QĐ-UBND$", result.DocumentNumber); // separate registers by default (DocumentNumbering)
            Assert.Matches(@"^\d{2}/BB-HĐTĐ$", result.MinutesNumber);
            Assert.NotNull(result.DocumentsError); // no PDF renderer in this host: said, not hidden
            Assert.Equal(3, (await db.ScoreSnapshots.SingleAsync(s => s.Id == result.SnapshotId)).UnitCount);
        }

        // Locked: nobody edits.
        Assert.Equal(AssessmentRules.ReadOnlyMessage, (await fx.Entry.SaveAsync(fx.Officer(), id, "1.1", "2", expectedVersion: 1)).Error);
        Assert.False((await fx.AppraiseAsync(fx.Chair(), id, "1.1", AppraisalVerdict.Corrected, "x", points: "5")).Ok);

        // The council reopens one criterion, appraises it again, the chair re-approves: a new result version.
        Assert.False((await fx.Entry.AsAsync<ReopenCriterion, ReviewResult>(fx.Reviewer(), r => r.HandleAsync(id, "1.4", "Lý do"))).Ok);
        Assert.False((await fx.Entry.AsAsync<ReopenCriterion, ReviewResult>(fx.Member(), r => r.HandleAsync(id, "1.4", " "))).Ok);
        Assert.True((await fx.Entry.AsAsync<ReopenCriterion, ReviewResult>(fx.Member(), r => r.HandleAsync(id, "1.4", "Đơn vị gửi bổ sung biên bản họp"))).Ok);
        Assert.False((await fx.AppraiseAsync(fx.Chair(), id, "1.1", AppraisalVerdict.Corrected, "x", points: "5")).Ok);
        Assert.Contains("20", (await fx.AppraiseAsync(fx.Chair(), id, "1.4", AppraisalVerdict.Corrected, "Sai", points: "25")).Error);
        Assert.True((await fx.AppraiseAsync(fx.Chair(), id, "1.4", AppraisalVerdict.Corrected, "Đủ 10 cuộc họp theo biên bản bổ sung", points: "20")).Ok);
        var reapproved = await fx.Entry.AsAsync<ReapproveCriterion, ReviewResult>(fx.Chair(), r => r.HandleAsync(id));
        Assert.True(reapproved.Ok, reapproved.Error);
        Assert.Equal(2, reapproved.Version);
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var versions = await db.RecognisedResults.Where(r => r.AssessmentId == id).OrderBy(r => r.Version).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.Equal(versions[0].Total + (20m - 13.33m), versions[1].Total);
            Assert.Equal(versions[0].SnapshotId, versions[1].SnapshotId);
            Assert.Null((await db.Assessments.SingleAsync(x => x.Id == id)).ReopenedCriterion);
        }

        // Publication, then the history and the audit trail hold every step.
        Assert.False((await fx.Entry.AsAsync<PublishRound, ReviewResult>(fx.Chair(), p => p.HandleAsync(roundId))).Ok);
        var published = await fx.Entry.AsAsync<PublishRound, ReviewResult>(fx.Admin(), p => p.HandleAsync(roundId));
        Assert.True(published.Ok, published.Error);
        Assert.Equal(1, published.Version);
        Assert.Equal(AssessmentStatus.Published, await fx.StatusAsync(id));

        var history = (await fx.ReviewAsync(fx.Chair(), id)).History.Select(h => h.Action).ToList();
        Assert.Equal(
            ["Submit", "StartDistrictReview", "ReturnToUnit", "Resubmit", "StartDistrictReview", "ForwardToCouncil", "StartCouncilAppraisal", "Approve",
             ReviewActions.ReopenCriterion, ReviewActions.ReapproveCriterion, "Publish"], history);
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var audited = await db.AuditLog.Where(e => e.Action == "Workflow" && e.EntityId == id.ToString()).Select(e => e.Detail).ToListAsync();
            Assert.Equal(9, audited.Count); // every step but the two submissions, which the entity audit records with the values
            Assert.Contains(audited, d => d!.StartsWith("Phê duyệt:"));
            Assert.Contains(audited, d => d!.StartsWith("Mở lại tiêu chí tiêu chí 1.4") || d!.Contains("1.4"));
            Assert.True(await db.AuditLog.AnyAsync(e => e.EntityType == nameof(CriterionAppraisal) && e.UnitId == fx.Entry.Units["C1"]));
        }
    }

    [Fact]
    public async Task EveryIllegalTransition_IsRefused_ForEveryRole_InBothKindsOfRound()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C2"];
        var actions = Enum.GetValues<WorkflowAction>().Where(x => x is not (WorkflowAction.Submit or WorkflowAction.Resubmit)).ToList();
        var checkedCases = 0;
        foreach (var tier in new[] { true, false })
        foreach (var (role, who) in fx.ByRole())
        foreach (var state in Enum.GetValues<AssessmentStatus>())
        foreach (var action in actions)
        {
            await fx.ForceAsync(id, state, tier);
            var legal = AssessmentWorkflow.Transitions.Any(t => t.From.ToString() == state.ToString() && t.Action == action && t.AppliesTo(tier) && t.Roles.Contains(role));
            var result = await fx.TransitionAsync(who, id, action, reason: "Lý do thử nghiệm");
            Assert.True(legal == result.Ok, $"{role} {action} from {state} (district tier: {tier}): expected {(legal ? "allowed" : "refused")}, got {result.Error ?? "allowed"}");
            if (!legal) Assert.Equal(state, await fx.StatusAsync(id)); // nothing changed
            checkedCases++;
        }
        Assert.Equal(2 * 7 * 8 * actions.Count, checkedCases);
        // Submitting is the entry page's, never a review transition.
        Assert.False((await fx.TransitionAsync(fx.Officer("C2"), id, WorkflowAction.Submit)).Ok);
    }

    [Fact]
    public async Task TwoConcurrentApprovals_ProduceOneApprovalAndTellTheOther()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C3"];
        await fx.ForceAsync(id, AssessmentStatus.UnderCouncilAppraisal);
        var model = await fx.ReviewAsync(fx.Chair(), id);
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fx.TransitionAsync(fx.Chair(), id, WorkflowAction.Approve, expected: model.RowVersion)));
        Assert.Equal(1, results.Count(r => r.Ok));
        Assert.All(results.Where(r => !r.Ok), r => Assert.True(r.Conflict, r.Error));
        await using var db = fx.Entry.Db.OwnerContext();
        Assert.Equal(1, await db.RecognisedResults.CountAsync(r => r.AssessmentId == id));
        Assert.Equal(1, await db.WorkflowSteps.CountAsync(s => s.AssessmentId == id && s.Action == "Approve"));
        // A stale page (an old row version) is told, too.
        var stale = await fx.TransitionAsync(fx.Admin(), id, WorkflowAction.Publish, expected: model.RowVersion);
        Assert.True(stale.Conflict);
    }

    [Fact]
    public async Task ApprovedScore_IsFrozen_WhenAnotherUnitsFiguresChangeLater()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        await fx.FillAndSubmitAsync(a["C1"], "C1", digitalHouseholds: "1.200");
        await fx.FillAndSubmitAsync(a["C2"], "C2", digitalHouseholds: "2.000");
        await fx.ForceAsync(a["C1"], AssessmentStatus.UnderCouncilAppraisal, hasDistrictTier: false);
        Assert.True((await fx.TransitionAsync(fx.Chair(), a["C1"], WorkflowAction.Approve)).Ok);
        var approved = await fx.ReviewAsync(fx.Chair(), a["C1"]);
        var peerBefore = approved.Criteria.Single(c => c.Code == "1.5").AchievedPoints;
        Assert.Equal(0m, peerBefore); // the lower of two ratios scores 0 in min-max

        // C2 is returned and lowers its households: live, C1 would now be the best.
        await fx.ForceAsync(a["C2"], AssessmentStatus.Draft);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer("C2"), a["C2"], "1.5.a", "100", expectedVersion: 1)).Saved);
        var live = await fx.ReviewAsync(fx.Chair(), a["C2"]);
        Assert.Equal(0m, live.Criteria.Single(c => c.Code == "1.5").SelfPoints);

        var after = await fx.ReviewAsync(fx.Chair(), a["C1"]);
        Assert.Equal(approved.AchievedTotal, after.AchievedTotal);
        Assert.Equal(peerBefore, after.Criteria.Single(c => c.Code == "1.5").AchievedPoints);
        Assert.Equal(approved.Result!.Total, after.Result!.Total);
        Assert.Equal(10m, after.Criteria.Single(c => c.Code == "1.5").SelfPoints); // the self column is live: it did move
    }
}
