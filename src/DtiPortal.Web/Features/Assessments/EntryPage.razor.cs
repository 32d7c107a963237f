using System.Net;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using DtiPortal.Web.Components;
using DtiPortal.Web.Features.Reviews;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace DtiPortal.Web.Features.Assessments;

// The entry page's state and handlers; the autosave itself is EntryForm's, the markup is EntryPage.razor.
public sealed partial class EntryPage
{
    [Parameter] public int Id { get; set; }

    private const string GeneralKey = "general";
    private static readonly IReadOnlyDictionary<string, StoredValue> NoValues = new Dictionary<string, StoredValue>();
    private EntryModel? _model;
    private string? _loadError;
    private EntryForm _form = default!;
    private readonly Dictionary<string, List<(ValueAddress Address, FieldState? Field)>> _criterionFields = new(StringComparer.Ordinal);
    private Dictionary<string, string> _generalUsersText = new(StringComparer.Ordinal);
    private readonly List<(GeneralItem Item, FieldState Field)> _generalFields = [];
    private readonly Dictionary<string, CriterionEntry> _criterionRefs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private Dictionary<string, string?> _assignments = new(StringComparer.Ordinal);
    private IReadOnlyList<CriterionNode> _sections = [];
    private ILookup<string, EvidenceItem> _evidence = Array.Empty<EvidenceItem>().ToLookup(e => e.CriterionCode);
    private EntryActions _actions = default!;
    private UnitResult? _result;
    private ShownScore? _shown;
    private string? _scoreError;
    private int? _targetLevel;
    private string? _targetMessage;
    private bool _checking;
    private bool _submitOpen;
    private bool _submitting;
    private bool _justSubmitted;
    private string? _submitError;
    private IReadOnlyList<CompletenessIssue> _issues = [];
    private IReadOnlyList<RuleCheck> _ruleChecks = [];
    private Guid? _submitKey;
    private string? _focusAfterRender;
    // "Đến ô chưa nhập tiếp theo": the field last visited (left, or jumped to), the field to focus after the next render.
    private string? _lastVisited;
    private string? _focusFieldAfterRender;
    private string? _nextEmptyMessage;
    private bool _barWatched;
    private bool _scoreStarted;
    private UnitReviewInfo? _review;
    private string? _reviewError;
    private readonly Dictionary<string, TextDraft> _commentDrafts = new(StringComparer.Ordinal);

    private bool GeneralEditable => _model?.Can.EditGeneral == true;
    // The use case answers from the workflow table (Submit, or Resubmit after a return); SubmitAssessment checks again.
    private bool CanSubmit => _model?.Can.Submit == true;

    protected override async Task OnInitializedAsync()
    {
        _form = new EntryForm(Id, SaveValue, Clock, Log)
        {
            Dispatch = InvokeAsync,
            Changed = StateHasChanged,
            Rescore = RecomputeAsync,
            Unsaved = ForgetDraftAsync,
        };
        _actions = new EntryActions
        {
            AssessmentId = Id,
            Typed = _form.Typed,
            Leave = f => { _lastVisited = f.Address; return _form.LeaveAsync(f); },
            Choose = x => _form.ChooseAsync(x.Field, x.Value),
            Resolve = x => _form.ResolveAsync(x.Field, x.KeepMine),
            Assign = AssignAsync,
            Uploaded = _ => ReloadEvidenceAsync(),
            Delete = DeleteAsync,
            AddLink = AddLinkAsync,
            General = code => _form["general:" + code],
            AntiforgeryToken = Antiforgery.GetAntiforgeryToken()?.Value,
        };
        try
        {
            _model = await Queries.GetEntryAsync(Id);
            Build(_model);
            // The fields hold the values now: the page keeps no second copy of them (issue 17).
            _model = _model with { Values = NoValues };
            await LoadReviewAsync();
            if (_review is { Status: AssessmentStatus.Returned } returned)
                foreach (var code in returned.ReturnedCriteria)
                    if (_sections.FirstOrDefault(s => code == s.Code || code.StartsWith(s.Code + ".", StringComparison.Ordinal)) is { } section)
                        _expanded.Add(section.Code);
        }
        catch (AccessDeniedException ex) { _loadError = "Không được phép: " + ex.Message; }
        // In the circuit the score comes before the page's full render, so the page, its criteria and their evidence panels
        // render once when an officer opens it: a component rendered twice keeps both renders' frames (issue 17, ADR-014).
        // The prerendered page (shown meanwhile) never scores: its points read "…".
        if (_model is not null && RendererInfo.IsInteractive)
        {
            _scoreStarted = true;
            await ScoreAsync();
        }
    }

    /// <summary>The review (issue 6) once the assessment left the draft: return reasons, comment threads, the recognised result.</summary>
    private async Task LoadReviewAsync()
    {
        if (_model is null || _model.Status == AssessmentStatus.Draft) { _review = null; return; }
        try
        {
            _review = await ReviewQueries.ForUnitAsync(Id);
            _reviewError = null;
            await LoadFollowUpsAsync();
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException) { _review = null; }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogWarning(ex, "Loading the review of assessment {Id} failed", Id);
            _reviewError = "Chưa tải được ý kiến thẩm định; hãy tải lại trang.";
        }
    }

    private TextDraft CommentDraft(string key) => _commentDrafts.TryGetValue(key, out var d) ? d : _commentDrafts[key] = new TextDraft();

    private async Task<string?> SendCommentAsync(string? code, string text)
    {
        string? error = null;
        var result = await new UseCaseCall(Snackbar, Log).RunAsync($"Commenting on assessment {Id}",
            () => AddReviewComment.HandleAsync(Id, code, text), message => error = message);
        if (result is not { Ok: true }) return error ?? "Không gửi được trao đổi.";
        await LoadReviewAsync();
        StateHasChanged(); // the thread component handled the click: the page must render the new comment itself
        return null;
    }

    private UnitCriterionReview? ReviewOf(string code)
    {
        if (_review is not { } r) return null;
        return new UnitCriterionReview(
            r.Status == AssessmentStatus.Returned && r.ReturnedCriteria.Contains(code),
            r.ReasonsByCriterion.GetValueOrDefault(code) ?? [],
            r.CommentsByCriterion.GetValueOrDefault(code) ?? [],
            r.ResultRows.FirstOrDefault(x => x.Code == code),
            CommentDraft(code),
            text => SendCommentAsync(code, text));
    }

    /// <summary>
    /// The sections open when the circuit was persisted (evicted after a long disconnection, or paused): restored when the
    /// circuit resumes, so the officer comes back to the same place. The values come from the database again.
    /// </summary>
    [PersistentState]
    public string[]? OpenSections
    {
        get => [.. _expanded.Order(StringComparer.Ordinal)];
        set => _restoredSections = value;
    }

    private string[]? _restoredSections;
    private bool _draftsReplayed;

    private sealed record BrowserDraft(string Address, string Text, int Version);

    /// <summary>
    /// Replays what the browser kept of input the server never saved (typed while the connection was down, or lost with an
    /// evicted circuit or a restarted server): each through the form's normal save with the version it was typed against.
    /// </summary>
    private async Task ReplayDraftsAsync()
    {
        if (_draftsReplayed || _model is null || _model.ReadOnly) return;
        _draftsReplayed = true;
        BrowserDraft[] drafts;
        // A browser with an older script (or none kept) may answer null: nothing to replay.
        try { drafts = await JS.InvokeAsync<BrowserDraft[]?>("dti.drafts.list", Id) ?? []; }
        catch (JSException ex) { Log.LogWarning(ex, "Reading the browser's unsaved input of assessment {Id} failed", Id); return; }
        var slots = drafts.Length > 0 ? Slots() : [];
        foreach (var d in drafts)
        {
            if (_form[d.Address] is not { } field) continue;
            // The officer sees what the browser kept: its section opens (only the section where work remained was open).
            if (slots.FirstOrDefault(s => s.Field == field) is { } slot) _expanded.Add(slot.Section);
            await _form.RestoreAsync(field, d.Text, d.Version);
        }
        if (drafts.Length > 0) StateHasChanged();
    }

    private async Task ForgetDraftAsync(FieldState field)
    {
        if (field.HasUnsavedText) return; // the browser keeps the newer text
        try { await JS.InvokeVoidAsync("dti.drafts.clear", Id, field.Address, field.Text); }
        catch (JSDisconnectedException) { } // gone: the draft is replayed (and found already saved) next time
        catch (JSException ex) { Log.LogWarning(ex, "Clearing the browser's copy of {Address} failed", field.Address); }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_model is not null && !_draftsReplayed) await ReplayDraftsAsync();
        // Scored already in OnInitializedAsync when interactive; this is for a model that arrived otherwise.
        if (!_scoreStarted && _model is not null)
        {
            _scoreStarted = true;
            await RecomputeAsync();
        }
        if (!_barWatched && _model is not null && _loadError is null)
        {
            _barWatched = true;
            try { await JS.InvokeVoidAsync("dti.watchScoreBar"); } catch (JSException) { } // the bar's height for scroll-padding
        }
        if (_focusFieldAfterRender is { } address)
        {
            _focusFieldAfterRender = null;
            try { await JS.InvokeAsync<bool>("dti.focusField", address); } catch (JSException) { }
        }
        if (_focusAfterRender is { } code && _criterionRefs.TryGetValue(code, out var target))
        {
            _focusAfterRender = null;
            try { await target.FocusAsync(); } catch (JSException) { }
        }
    }

    // A choice's option labels, once per method of a loaded set and shared by every circuit (the set's model is shared:
    // CriteriaSetCache; issue 17).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScoringMethod, IReadOnlyList<string>> OptionLabels = new();

    // A general item's address ("general:1.5") and the "Dùng cho tiêu chí …" notes, one instance for every circuit: an open
    // page keeps them for each of its fields (issue 17). The notes are few (they follow from the sets' formulas and who sees
    // which criteria); the cache is bounded all the same.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GeneralItem, string> GeneralAddresses = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SharedText = new(StringComparer.Ordinal);
    private static int _sharedTextCount;

    /// <summary>The instance of <paramref name="text"/> every circuit uses (past a bound, the text itself: never an unbounded cache).</summary>
    private static string Shared(string text)
    {
        if (SharedText.TryGetValue(text, out var shared)) return shared;
        if (Volatile.Read(ref _sharedTextCount) < 4096 && SharedText.TryAdd(text, text)) Interlocked.Increment(ref _sharedTextCount);
        return text;
    }

    private void Build(EntryModel m)
    {
        var set = m.Set;
        _targetLevel = m.TargetLevel;
        _assignments = new Dictionary<string, string?>(m.Assignments, StringComparer.Ordinal);
        _evidence = m.Evidence.ToLookup(e => e.CriterionCode, StringComparer.Ordinal);
        foreach (var g in set.General)
        {
            var f = new FieldState(GeneralAddresses.GetValue(g, static x => AssessmentValue.GeneralPrefix + x.Code), g.Label, g.Unit, g.Type, [], false);
            f.Load(m.Values.GetValueOrDefault(f.Address));
            _form.Add(f);
            _generalFields.Add((g, f));
        }
        var generalUsers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var a in set.ValueAddresses)
        {
            if (!m.VisibleCriteria.Contains(a.Code)) continue;
            FieldState? field = null;
            if (a.General is { } g)
            {
                if (!generalUsers.TryGetValue(g.Code, out var users)) generalUsers[g.Code] = users = [];
                if (!users.Contains(a.Code)) users.Add(a.Code);
            }
            else
            {
                IReadOnlyList<string> options = a.OptionCount > 0 && set.Find(a.Code)?.Method is { } method && method.Options.Count == a.OptionCount
                    ? OptionLabels.GetValue(method, static x => [.. x.Options.Select(o => o.Label)])
                    : a.OptionCount > 0 ? [.. Enumerable.Range(1, a.OptionCount).Select(i => $"Phương án {i}")] : [];
                field = new FieldState(a.Address, a.Label, a.Unit, a.Type, options, a.IsList);
                field.Load(m.Values.GetValueOrDefault(a.Address));
                _form.Add(field);
            }
            if (!_criterionFields.TryGetValue(a.Code, out var list)) _criterionFields[a.Code] = list = [];
            list.Add((a, field));
        }
        _generalUsersText = generalUsers.ToDictionary(u => u.Key, u => Shared("Dùng cho tiêu chí " + string.Join(", ", u.Value)), StringComparer.Ordinal);
        _sections = set.Tree.Where(n => HasVisible(n, m.VisibleCriteria)).ToList();
        // Only the section where work remains opens (issue 17, ADR-014: every open section keeps its fields in the circuit):
        // the general information until it is complete, then the first main index with an empty field this user may fill.
        // With nothing left to fill (or nothing this user may fill): the general information and the first main index.
        if (EntryProgress.NextEmpty(Slots(), null) is { } work)
            _expanded.Add(work.Section);
        else
        {
            _expanded.Add(GeneralKey);
            if (_sections.Count > 0) _expanded.Add(_sections[0].Code);
        }
        if (_restoredSections is { } restored)
        {
            _expanded.Clear();
            _expanded.UnionWith(restored);
        }
        _actions.Departments = m.Assignments.Values.Concat(set.AllNodes.Select(n => n.Details.Lead))
            .Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static bool HasVisible(CriterionNode node, IReadOnlySet<string> visible) =>
        node.IsGroup ? node.Children.Any(c => HasVisible(c, visible)) : visible.Contains(node.Code);

    private IReadOnlyList<(ValueAddress, FieldState?)> FieldsOf(string code) =>
        (IReadOnlyList<(ValueAddress, FieldState?)>?)_criterionFields.GetValueOrDefault(code) ?? [];

    private CriterionSlot SlotOf(CriterionNode node)
    {
        var m = _model!;
        var code = node.Code;
        var fields = FieldsOf(code);
        return new CriterionSlot(node, m.Set, fields, TryNode(code), _evidence[code].ToList(),
            Editable: !m.ReadOnly && m.EditableCriteria.Contains(code), CanAssign: GeneralEditable,
            Assignment: _assignments.GetValueOrDefault(code), LastEditedBy: m.LastEditedBy.GetValueOrDefault(code),
            Review: ReviewOf(code), FollowUps: FollowUpsOf(code, fields.Select(f => f.Item1.Address)));
    }

    private NodeResult? TryNode(string code)
    {
        if (_result is null) return null;
        try { return _result.Node(code); } catch (KeyNotFoundException) { return null; }
    }

    /// <summary>
    /// The breadcrumb, the heading and the line under it (year, set, status, deadline) as one markup frame: as elements and
    /// texts they were some thirty frames of the page's buffer, kept as long as the page is open (issue 17, ADR-014).
    /// </summary>
    private static MarkupString Heading(EntryModel m, DateOnly today)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var deadline = m.Deadline is { } dl && m.Status is AssessmentStatus.Draft or AssessmentStatus.Returned
            ? $"<span data-testid=\"entry-deadline\">{E(DeadlinePolicy.BasisLabel(dl.Decision.Basis) + (dl.Decision.Deadline is { } d ? $": {AssessmentText.Date(d)} ({AssessmentText.DaysLeft(d, today)})" : ""))}</span>"
            : $"<span>Hạn nhập số liệu: {E(AssessmentText.Date(m.Round.EntryDeadline))}</span>";
        var late = m.Deadline?.LateDays is { } lateDays
            ? $"<span> · <span class=\"late-mark\" data-testid=\"entry-late-mark\">{E(DeadlinePolicy.LateLabel(lateDays))}</span></span>"
            : "";
        var set = $"/bo-chi-so/{Uri.EscapeDataString(m.Round.SetId)}/{m.Round.SetVersion}";
        return new MarkupString(
            $"<nav aria-label=\"Vị trí\" class=\"search-path\"><a href=\"/danh-gia\">Đánh giá của tôi</a> › {E(m.Round.Name)}</nav>"
            + $"<h1>{E(m.UnitName)} — {E(m.Round.Name)}</h1>"
            + $"<p class=\"entry-meta\"><span>Năm {m.Round.Year}</span> · <span>Bộ chỉ số: <a href=\"{E(set)}\">{E(m.Set.Name)}</a> (phiên bản {m.Round.SetVersion})</span>"
            + $" · <span>Trạng thái: <strong data-testid=\"entry-status\">{E(AssessmentText.Status(m.Status))}</strong></span> · {deadline}{late}</p>");
    }

    private static string ReadOnlyReason(EntryModel m) => m.Status switch
    {
        AssessmentStatus.Approved or AssessmentStatus.Published =>
            "Hội đồng thẩm định đã phê duyệt bản đánh giá: kết quả đã được công nhận và bản đánh giá đã khóa.",
        AssessmentStatus.Draft or AssessmentStatus.Returned when m.Round.Status == RoundStatus.Closed =>
            "Đợt đánh giá đã khóa: số liệu chỉ còn xem được.",
        // After the deadline (issue 15): the policy's message names the date and who can extend it.
        AssessmentStatus.Draft or AssessmentStatus.Returned when m.Deadline?.Decision.RefusalMessage is { } late => late,
        AssessmentStatus.Draft or AssessmentStatus.Returned => "Bạn chỉ có quyền xem bản đánh giá này.",
        _ => $"Bản đánh giá đang ở trạng thái “{AssessmentText.Status(m.Status)}”: số liệu và tài liệu kiểm chứng chỉ còn xem được. Nếu cần sửa, đề nghị cấp thẩm tra trả lại.",
    };

    // ---- sections ----
    private void Toggle(string key)
    {
        if (!_expanded.Remove(key)) _expanded.Add(key);
    }

    private void ExpandAll()
    {
        _expanded.Add(GeneralKey);
        foreach (var s in _sections) _expanded.Add(s.Code);
    }

    private void CollapseAll() => _expanded.Clear();

    /// <summary>
    /// Once approved, a main index's points from the recognised result (as its total is), so the indices add up to the total
    /// shown; null before (the live points).
    /// </summary>
    private decimal? RecognisedPoints(string code) =>
        _shown is { Recognised: true } && _review?.ResultRows.FirstOrDefault(r => r.Code == code) is { } row ? row.AchievedPoints : null;

    // ---- progress: the count per main index and the next empty field ----
    private List<EntryProgress.Slot> Slots() => _model is not { } m ? [] : EntryProgress.Slots(m.Set, _sections,
        code => _form["general:" + code], code => FieldsOf(code).Select(x => x.Item2).OfType<FieldState>(),
        GeneralEditable, code => !m.ReadOnly && m.EditableCriteria.Contains(code));

    private string SectionCount(List<EntryProgress.Slot> slots, string section, out bool done)
    {
        var (entered, total) = EntryProgress.Count(slots, section);
        done = entered == total;
        return EntryProgress.CountText(entered, total);
    }

    /// <summary>Opens the section of the next empty field the user may fill (after the one last visited) and focuses it.</summary>
    private void GoToNextEmpty()
    {
        var next = EntryProgress.NextEmpty(Slots(), _lastVisited);
        if (next is null)
        {
            _nextEmptyMessage = "Mọi ô bạn được nhập đều đã có số liệu.";
            return;
        }
        _nextEmptyMessage = null;
        _lastVisited = next.Field.Address;
        _expanded.Add(next.Section == GeneralKey ? GeneralKey : next.Section);
        _focusFieldAfterRender = next.Field.Address;
    }

    // ---- score (the form asks for it after saves) ----
    private async Task RecomputeAsync()
    {
        await ScoreAsync();
        StateHasChanged();
    }

    private async Task ScoreAsync()
    {
        try
        {
            // The total and level through DisplayedScore (the recognised result once approved), the criteria's points live;
            // the rules read the same figures, so a save that breaks or mends a warning shows at once. One call: one
            // context and one access check per save (issue 17).
            (_result, _shown, _ruleChecks) = await ScoreAssessment.AfterSaveAsync(Id);
            _scoreError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogWarning(ex, "Scoring assessment {Id} failed", Id);
            _scoreError = "Chưa tính được điểm: " + ex.Message;
        }
    }

    // ---- explanations of warnings (spec §10) ----
    private async Task<string?> ExplainAsync(string code, string text)
    {
        string? refused = null;
        var result = await new UseCaseCall(Snackbar, Log).RunAsync("Giải trình cảnh báo", () => ExplainRuleWarning.HandleAsync(Id, code, text), m => refused = m);
        if (result is not { Ok: true }) return refused ?? UseCaseCall.UnexpectedMessage;
        _ruleChecks = await RuleChecks.HandleAsync(Id);
        Snackbar.Add($"Đã lưu giải trình cảnh báo {code}.", Severity.Success);
        StateHasChanged();
        return null;
    }

    // ---- assignments, target level ----
    private async Task AssignAsync(string code, string? department)
    {
        try
        {
            var result = await AssignCriteria.HandleAsync(Id, code, department);
            if (!result.Succeeded) { Snackbar.Add("Không giao được tiêu chí: " + result.Error, Severity.Error); return; }
            _assignments[code] = department;
            if (department is not null && !_actions.Departments.Contains(department))
                _actions.Departments = _actions.Departments.Append(department).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException)
        {
            Snackbar.Add("Không giao được tiêu chí: " + ex.Message, Severity.Error);
        }
    }

    private async Task RegisterTargetAsync(ChangeEventArgs e)
    {
        if (!int.TryParse(e.Value?.ToString(), out var level)) return;
        try
        {
            var result = await RegisterTargetLevel.HandleAsync(Id, level);
            if (!result.Succeeded) { _targetMessage = result.Error; return; }
            _targetLevel = level;
            _targetMessage = $"Đã đăng ký mức {level}.";
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException)
        {
            _targetMessage = ex.Message;
        }
    }

    // ---- evidence ----
    private async Task ReloadEvidenceAsync()
    {
        var fresh = await Queries.GetEntryAsync(Id);
        _evidence = fresh.Evidence.ToLookup(e => e.CriterionCode, StringComparer.Ordinal);
        StateHasChanged();
    }

    private async Task DeleteAsync(EvidenceItem item)
    {
        var name = item.FileName ?? item.Url ?? "tài liệu";
        var ok = await Dialogs.ShowMessageBoxAsync("Xóa tài liệu kiểm chứng", $"Xóa tài liệu kiểm chứng “{name}” khỏi tiêu chí {item.CriterionCode}?",
            yesText: "Xóa", cancelText: "Hủy");
        if (ok != true) return;
        try
        {
            await DeleteEvidence.HandleAsync(item.Id);
            await ReloadEvidenceAsync();
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException or EvidenceNotFoundException)
        {
            Snackbar.Add("Không xóa được: " + ex.Message, Severity.Error);
        }
    }

    private async Task<string?> AddLinkAsync(string code, EvidenceLinkForm form)
    {
        try
        {
            await AddEvidenceLink.HandleAsync(new AddEvidenceLinkRequest(Id, code, form.Url.Trim(),
                new DocumentInfo(Blank(form.DocNumber), form.IssuedOn, Blank(form.Issuer), Blank(form.Summary))));
            await ReloadEvidenceAsync();
            return null;
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException or EvidenceNotFoundException)
        {
            return ex.Message;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // ---- submit ----
    private async Task OpenSubmitAsync()
    {
        if (_checking) return;
        _checking = true;
        try
        {
            await _form.FlushAsync();
            _issues = await CheckCompleteness.HandleAsync(Id);
            _submitError = null;
            _submitKey = Guid.NewGuid(); // one key per attempt: a double click or a retry submits once
            _submitOpen = true;
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException)
        {
            Snackbar.Add("Không nộp được: " + ex.Message, Severity.Error);
        }
        finally { _checking = false; }
    }

    private async Task SubmitAsync()
    {
        if (_submitting || _submitKey is not { } key) return;
        _submitting = true;
        _submitError = null;
        try
        {
            var result = await SubmitAssessment.HandleAsync(Id, key);
            if (result.Submitted || result.AlreadySubmitted)
            {
                _submitOpen = false;
                _justSubmitted = true;
                _submitKey = null;
                _model = await Queries.GetEntryAsync(Id);
                await LoadReviewAsync();
            }
            else
            {
                _issues = result.Issues;
                _submitError = "Chưa nộp được: còn mục phải hoàn thành (xem danh sách ở trên).";
            }
        }
        catch (Exception ex) when (ex is AccessDeniedException or DtiPortal.Domain.DomainException)
        {
            _submitError = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogWarning(ex, "Submitting assessment {Id} failed", Id);
            _submitError = "Không nộp được do lỗi kết nối; bấm “Xác nhận nộp” để thử lại (bản đánh giá chỉ được nộp một lần).";
        }
        finally { _submitting = false; }
    }

    private void CloseSubmit()
    {
        if (_submitting) return;
        _submitOpen = false;
    }

    private async Task GoToAsync(string issueCode)
    {
        _submitOpen = false;
        if (issueCode.StartsWith("general:", StringComparison.Ordinal) || _model is null)
        {
            _expanded.Add(GeneralKey);
            return;
        }
        var code = issueCode;
        while (code.Length > 0 && _model.Set.Find(code) is not { IsGroup: false })
        {
            var dot = code.LastIndexOf('.');
            if (dot < 0) { code = ""; break; }
            code = code[..dot];
        }
        if (code.Length == 0) return;
        var section = _sections.FirstOrDefault(s => code == s.Code || code.StartsWith(s.Code + ".", StringComparison.Ordinal));
        if (section is not null) _expanded.Add(section.Code);
        _focusAfterRender = code;
        await Task.CompletedTask;
    }

    public void Dispose()
    {
        // Leaving the page before the pause ended must not lose what was typed: the form saves it now (the circuit
        // outlives the page).
        _ = _form?.CloseAsync();
    }
}
