using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Reviews;
using DtiPortal.Web.Components;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Reviews;

// The review page's state and handlers (every use case through UseCaseCall, ADR-010); the markup is ReviewPage.razor.
public sealed partial class ReviewPage
{
    [Parameter] public int AssessmentId { get; set; }

    private const string GeneralKey = "";
    private const string ConflictMessage = "Bản đánh giá vừa được người khác xử lý. Trang đã được tải lại với dữ liệu mới nhất.";

    private sealed class ActionDialog(WorkflowAction action)
    {
        public WorkflowAction Action { get; } = action;
        public bool NeedsReason { get; } = AssessmentWorkflow.RequiresReason(action);
        public string Reason { get; set; } = "";
        public string? Error { get; set; }
    }

    private sealed class ReopenDialog(string code)
    {
        public string Code { get; } = code;
        public string Reason { get; set; } = "";
        public string? Error { get; set; }
    }

    private ReviewModel? _model;
    private string? _loadError;
    private string? _message;
    private string? _error;
    private int _topDepth;
    private bool _onlyChanged;
    private UseCaseCall _call = default!;      // the workflow actions, reopening, re-approval: one at a time
    private UseCaseCall _vote = default!;
    private UseCaseCall _documents = default!;
    private WorkflowAction? _running;
    private ActionDialog? _dialog;
    private ReopenDialog? _reopen;
    private bool _confirmReapprove;
    private string? _reapproveError;
    private bool? _voteAgrees;
    private string? _voteComment;
    private string? _voteError;
    private readonly Dictionary<string, AppraisalDraft> _drafts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TextDraft> _commentDrafts = new(StringComparer.Ordinal);

    protected override void OnInitialized()
    {
        _call = new UseCaseCall(Snackbar, Log);
        _vote = new UseCaseCall(Snackbar, Log);
        _documents = new UseCaseCall(Snackbar, Log);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_model?.AssessmentId == AssessmentId) return;
        _drafts.Clear();
        _commentDrafts.Clear();
        _model = null;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _model = await Queries.GetAsync(AssessmentId);
            _loadError = null;
            // The set's validation rules the unit's figures break, with its explanations (spec §10), beside the figures.
            // A failure here leaves the review usable: the rules are a help to the reviewer, not the review itself.
            try { _ruleChecks = await RuleChecks.HandleAsync(AssessmentId); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LogWarning(ex, "Checking the rules of assessment {Id} failed", AssessmentId);
                _ruleChecks = [];
            }
            await LoadQualityAsync();
            var groups = _model.Criteria.Where(c => c.IsGroup).ToList();
            _topDepth = groups.Count > 0 ? groups.Min(c => c.Depth) : 0;
            foreach (var c in _model.Criteria.Where(c => !c.IsGroup))
            {
                var tier = _model.AppraiseAs(c);
                DraftOf(c.Code).Load(tier == ReviewTier.District ? c.District : tier == ReviewTier.Council ? c.Council : null);
            }
        }
        catch (AccessDeniedException ex) { _loadError = "Không được phép: " + ex.Message; }
        catch (DtiPortal.Domain.DomainException ex) { _loadError = ex.Message; }
        catch (KeyNotFoundException) { _loadError = "Không tìm thấy bản đánh giá."; }
    }

    private IReadOnlyList<DtiPortal.Application.Assessments.RuleCheck> _ruleChecks = [];

    private IReadOnlyList<DtiPortal.Application.Assessments.RuleCheck> RulesOf(string code) =>
        _ruleChecks.Where(r => r.Criteria.Contains(code)).ToList();

    private AppraisalDraft DraftOf(string code) => _drafts.TryGetValue(code, out var d) ? d : _drafts[code] = new AppraisalDraft();

    private TextDraft CommentDraftOf(string code) => _commentDrafts.TryGetValue(code, out var d) ? d : _commentDrafts[code] = new TextDraft();

    private List<ReviewCriterion> VisibleCriteria(ReviewModel m)
    {
        if (!_onlyChanged) return [.. m.Criteria];
        var list = m.Criteria;
        var result = new List<ReviewCriterion>();
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i];
            if (!c.IsGroup) { if (c.ChangedSinceLastReview) result.Add(c); continue; }
            // A group stays when one of the criteria below it (until the next row at its depth or above) is shown.
            for (var j = i + 1; j < list.Count && list[j].Depth > c.Depth; j++)
            {
                if (!list[j].IsGroup && list[j].ChangedSinceLastReview) { result.Add(c); break; }
            }
        }
        return result;
    }

    private List<string> DirtyCriteria() => [.. _drafts.Where(d => d.Value.Dirty).Select(d => d.Key)];

    // ---- appraisal ----
    private async Task SaveAppraisalAsync(string code)
    {
        if (_model is null) return;
        var draft = DraftOf(code);
        if (draft.Saving) return;
        var criterion = _model.Criteria.FirstOrDefault(c => c.Code == code);
        if (criterion is null || _model.AppraiseAs(criterion) is not { } tier) return;
        draft.Message = null;
        if (draft.Verdict is null) { draft.Error = "Chọn kết luận: Chấp nhận, Điều chỉnh hoặc Yêu cầu bổ sung."; return; }
        var input = draft.ToInput();
        if (AppraisalRules.Check(input.Verdict, input.CorrectedInputs is not null || input.CorrectedPoints is not null, input.Reason) is { } problem)
        {
            draft.Error = problem;
            return;
        }
        var expected = (tier == ReviewTier.District ? criterion.District : criterion.Council)?.Version ?? 0;
        draft.Saving = true;
        draft.Error = null;
        try
        {
            // Each criterion saves on its own (its own busy flag is the draft's): a call per save.
            var result = await new UseCaseCall(Snackbar, Log).RunAsync($"Recording the appraisal of {code} of assessment {AssessmentId}",
                () => RecordAppraisal.HandleAsync(AssessmentId, code, input, expected), message => draft.Error = message);
            if (result is { Ok: true })
            {
                draft.Dirty = false;
                draft.Message = "Đã lưu thẩm định.";
                await LoadAsync();
            }
            else if (result is { Conflict: true })
            {
                draft.Error += " Trang đã tải lại ý kiến mới nhất; nội dung bạn nhập vẫn giữ nguyên — xem lại rồi bấm “Lưu thẩm định” nếu vẫn muốn lưu.";
                await LoadAsync();
            }
            else if (result is null && draft.Error == UseCaseCall.UnexpectedMessage)
            {
                draft.Error = "Không lưu được do lỗi kết nối; nội dung vẫn còn, bấm “Lưu thẩm định” để thử lại.";
            }
        }
        finally { draft.Saving = false; }
    }

    // ---- comments ----
    private async Task<string?> SendCommentAsync(string? code, string text)
    {
        string? error = null;
        var result = await new UseCaseCall(Snackbar, Log).RunAsync($"Commenting on assessment {AssessmentId}",
            () => AddComment.HandleAsync(AssessmentId, code, text), message => error = message);
        if (result is not { Ok: true }) return error ?? "Không gửi được trao đổi.";
        await LoadAsync();
        StateHasChanged(); // the thread component handled the click: the page must render the new comment itself
        return null;
    }

    // ---- transitions ----
    private async Task StartAction(WorkflowAction action)
    {
        if (_call.Busy || _model is null) return;
        _message = _error = null;
        // Returning, forwarding, approving and publishing are never one click: the dialog says what the step does (which
        // criteria go back, which were not appraised and count as accepted) and asks to confirm.
        if (AssessmentWorkflow.RequiresReason(action) || action is WorkflowAction.Approve or WorkflowAction.Publish or WorkflowAction.ForwardToCouncil
            || DirtyCriteria().Count > 0)
        {
            _dialog = new ActionDialog(action);
            return;
        }
        await RunAsync(action, null);
    }

    private void CloseDialog()
    {
        if (!_call.Busy) _dialog = null;
    }

    private async Task ConfirmDialogAsync()
    {
        if (_dialog is not { } d || _call.Busy) return;
        if (d.NeedsReason && string.IsNullOrWhiteSpace(d.Reason)) { d.Error = AssessmentWorkflow.ReasonRequiredMessage; return; }
        d.Error = await RunAsync(d.Action, d.NeedsReason ? d.Reason.Trim() : null);
        if (d.Error is null) _dialog = null;
    }

    /// <summary>Returns null when done, else the message (also shown on the page when no dialog is open).</summary>
    private async Task<string?> RunAsync(WorkflowAction action, string? reason)
    {
        if (_call.Busy || _model is null) return null;
        string? error = null;
        _running = action;
        var expected = _model.RowVersion;
        var result = await _call.RunAsync($"{action} on assessment {AssessmentId}",
            () => Transition.HandleAsync(AssessmentId, action, reason, expected), message => error = message);
        _running = null;
        if (result is { Ok: true })
        {
            _message = $"Đã thực hiện: {ReviewText.Action(action)}.";
            await LoadAsync();
            return null;
        }
        if (result is { Conflict: true })
        {
            _dialog = null;
            _error = ConflictMessage;
            await LoadAsync();
            return null;
        }
        if (_dialog is null) _error = error;
        return error;
    }

    // ---- council ----
    private async Task VoteAsync()
    {
        if (_vote.Busy) return;
        if (_voteAgrees is not { } agrees) { _voteError = "Chọn Đồng ý hoặc Không đồng ý."; return; }
        if (!agrees && string.IsNullOrWhiteSpace(_voteComment)) { _voteError = "Khi không đồng ý, hãy ghi ý kiến."; return; }
        _voteError = null;
        var comment = string.IsNullOrWhiteSpace(_voteComment) ? null : _voteComment.Trim();
        var result = await _vote.RunAsync($"Voting on assessment {AssessmentId}", () => CastVote.HandleAsync(AssessmentId, agrees, comment),
            message => _voteError = message);
        if (result is not { Ok: true }) return;
        _message = "Đã ghi nhận biểu quyết của bạn.";
        await LoadAsync();
    }

    private void OpenReopen(string code)
    {
        _message = _error = null;
        _reopen = new ReopenDialog(code);
    }

    private async Task ConfirmReopenAsync()
    {
        if (_reopen is not { } r || _call.Busy) return;
        if (string.IsNullOrWhiteSpace(r.Reason)) { r.Error = "Ghi lý do mở lại tiêu chí."; return; }
        var result = await _call.RunAsync($"Reopening {r.Code} of assessment {AssessmentId}",
            () => Reopen.HandleAsync(AssessmentId, r.Code, r.Reason.Trim()), message => r.Error = message);
        if (result is not { Ok: true }) return;
        _reopen = null;
        _message = $"Đã mở lại tiêu chí {r.Code}.";
        await LoadAsync();
    }

    private async Task ReapproveAsync()
    {
        _reapproveError = null;
        var result = await _call.RunAsync($"Re-approving assessment {AssessmentId}", () => Reapprove.HandleAsync(AssessmentId),
            message => _reapproveError = message);
        if (result is not { Ok: true }) return;
        _confirmReapprove = false;
        _message = "Đã phê duyệt lại bản đánh giá.";
        await LoadAsync();
    }

    private async Task RegenerateAsync()
    {
        _error = null;
        var result = await _documents.RunAsync($"Regenerating the documents of assessment {AssessmentId}", () => Documents.RegenerateAsync(AssessmentId),
            message => _error = message);
        if (result is not { Ok: true }) return;
        _message = "Đã tạo lại biên bản thẩm định và quyết định công nhận.";
        await LoadAsync();
    }
}
