using DtiPortal.Application.Assessments;
using DtiPortal.Application.Tenancy;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>
/// The autosave of the entry page, free of rendering so it can be tested with a fake clock: a field is saved
/// <see cref="TypingPause"/> after the last keystroke or when it loses focus; one save per field at a time (typing on
/// during a save saves again when it ends); a conflict waits for the user's choice; a database outage retries after
/// <see cref="RetryAfterOutage"/> with the text kept in the box; <see cref="FlushAsync"/> saves everything before a
/// submit; <see cref="CloseAsync"/> saves what is still waiting when the page goes away. Every save goes through
/// <see cref="ISaveValue"/> with the version last seen, so nothing is written twice or over someone else's value.
/// </summary>
public sealed class EntryForm(int assessmentId, ISaveValue saver, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan TypedDuringSave = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan RetryAfterOutage = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ScorePause = TimeSpan.FromMilliseconds(250);

    public const string OutageMessage = "không lưu được do lỗi kết nối cơ sở dữ liệu; sẽ thử lại sau ít giây.";

    private readonly Dictionary<string, FieldState> _fields = new(StringComparer.Ordinal);
    private ITimer? _scoreTimer;
    private int _scoreGeneration;
    private bool _closed;

    public int AssessmentId { get; } = assessmentId;

    /// <summary>Runs timer work on the page's renderer (<c>ComponentBase.InvokeAsync</c>); directly when nothing is set.</summary>
    public Func<Func<Task>, Task> Dispatch { get; set; } = work => work();

    /// <summary>Something the page shows beyond one field changed (the "Đang lưu…" counter, a field's state after a timer).</summary>
    public Action Changed { get; set; } = () => { };

    /// <summary>Values were saved: the page rescores (once, <see cref="ScorePause"/> after a run of saves).</summary>
    public Func<Task> Rescore { get; set; } = () => Task.CompletedTask;

    /// <summary>A field's text changed or was saved: the browser's copy of unsaved input follows (see reconnect.js).</summary>
    public Func<FieldState, Task> Unsaved { get; set; } = _ => Task.CompletedTask;

    public IReadOnlyDictionary<string, FieldState> Fields => _fields;

    public FieldState? this[string address] => _fields.GetValueOrDefault(address);

    public int SavingCount => _fields.Values.Count(f => f.InFlight || f.State is SaveState.Pending or SaveState.Saving);

    public int ProblemCount => _fields.Values.Count(f => f.NeedsAttention);

    public FieldState Add(FieldState field)
    {
        _fields[field.Address] = field;
        return field;
    }

    /// <summary>A keystroke: the text is the user's at once, the save waits for a pause.</summary>
    public void Typed(FieldState field, string text)
    {
        var wasQuiet = SavingCount == 0;
        field.Text = text;
        if (field.State is not SaveState.Conflict) field.State = field.HasUnsavedText ? SaveState.Pending : SaveState.Saved;
        Schedule(field, TypingPause);
        _ = Unsaved(field);
        if (wasQuiet && field.State == SaveState.Pending) Changed();
    }

    /// <summary>The field lost focus: save now rather than after the pause.</summary>
    public Task LeaveAsync(FieldState field)
    {
        Cancel(field);
        return field.HasUnsavedText && field.State is not SaveState.Conflict ? SaveAsync(field) : Task.CompletedTask;
    }

    /// <summary>A choice (radio button) is saved at once.</summary>
    public Task ChooseAsync(FieldState field, string value)
    {
        field.Text = value;
        Cancel(field);
        return SaveAsync(field);
    }

    /// <summary>
    /// Puts back text typed before the connection or the server was lost (kept by the browser against the version it
    /// was typed on) and saves it through the same version check: if someone saved the field since, it is a conflict
    /// for the user to settle, never an overwrite; if it is already saved, nothing is written.
    /// </summary>
    public Task RestoreAsync(FieldState field, string text, int version)
    {
        if (field.InFlight || field.State == SaveState.Conflict) return Task.CompletedTask;
        if (text == field.SavedText) return Unsaved(field); // it reached the server before the connection went: nothing to write
        Cancel(field);
        field.Text = text;
        field.Version = version; // the version it was typed against: a newer one on the server is a conflict, not an overwrite
        field.State = SaveState.Pending;
        return SaveAsync(field);
    }

    /// <summary>Saves one field now (unless a save of it is under way or a conflict waits for the user).</summary>
    public async Task SaveAsync(FieldState field)
    {
        if (field.State == SaveState.Conflict) return; // the user decides first
        if (field.InFlight) return;                    // the save under way re-checks the text when it ends
        if (!field.HasUnsavedText)
        {
            if (field.State is SaveState.Pending or SaveState.Invalid or SaveState.Failed) field.State = SaveState.Saved;
            Notify();
            return;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        field.Saving = done.Task;
        try
        {
            await SaveOnceAsync(field);
        }
        finally
        {
            field.Saving = null;
            done.SetResult();
        }
        if (field.State == SaveState.Pending)
        {
            // Typed on while the value was being saved.
            if (_closed) await SaveAsync(field);
            else Schedule(field, TypedDuringSave);
        }
        Notify();
    }

    private async Task SaveOnceAsync(FieldState field)
    {
        var text = field.Text;
        field.State = SaveState.Saving;
        Notify();
        try
        {
            var raw = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            var result = await saver.HandleAsync(AssessmentId, field.Address, raw, field.Version);
            if (result.Saved)
            {
                field.Version = result.Version;
                field.SavedText = text;
                field.SavedAt = clock.GetUtcNow();
                field.Message = null;
                field.Theirs = null;
                field.State = field.HasUnsavedText ? SaveState.Pending : SaveState.Saved;
                await Unsaved(field);
                ScheduleScore();
            }
            else if (result.Conflict && result.Current is { } current)
            {
                field.Theirs = current;
                field.Message = result.Error ?? "Người khác vừa sửa giá trị này.";
                field.State = SaveState.Conflict;
            }
            else
            {
                field.Message = result.Error ?? "Giá trị không hợp lệ.";
                field.State = SaveState.Invalid; // the text stays in the box so nothing typed is lost
            }
        }
        catch (AccessDeniedException ex) { Fail(field, ex.Message); }
        catch (Domain.DomainException ex) { Fail(field, ex.Message); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Saving {Address} of assessment {Id} failed", field.Address, AssessmentId);
            Fail(field, OutageMessage);
            if (!_closed) Schedule(field, RetryAfterOutage);
        }
    }

    private static void Fail(FieldState field, string message)
    {
        field.Message = message;
        field.State = SaveState.Failed;
    }

    /// <summary>After a conflict: keep my text (saved over theirs, knowingly) or take theirs.</summary>
    public async Task ResolveAsync(FieldState field, bool keepMine)
    {
        if (field.Theirs is not { } theirs) return;
        field.Version = theirs.Version;
        field.Theirs = null;
        if (keepMine)
        {
            field.State = SaveState.Pending;
            field.SavedText = AssessmentText.ToText(theirs.Value);
            await SaveAsync(field);
        }
        else
        {
            field.Text = field.SavedText = AssessmentText.ToText(theirs.Value);
            field.SavedAt = theirs.UpdatedAt;
            field.UpdatedBy = theirs.UpdatedBy;
            field.Message = null;
            field.State = SaveState.Saved;
            await Unsaved(field);
            ScheduleScore();
        }
    }

    /// <summary>
    /// Saves every field that still waits (for its pause, or for a retry after an outage) and waits for the saves under
    /// way, so a completeness check or a submit sees what is on the screen.
    /// </summary>
    public async Task FlushAsync()
    {
        foreach (var f in _fields.Values.ToList())
        {
            if (f.Saving is { } running) await running;
            if (f.HasUnsavedText && f.State is SaveState.Pending or SaveState.Failed)
            {
                Cancel(f);
                await SaveAsync(f);
            }
        }
    }

    /// <summary>
    /// The page goes away (another page, the tab closed with the circuit still alive): what was typed and not yet saved is
    /// saved now, and no timer fires afterwards. Nothing is shown any more.
    /// </summary>
    public Task CloseAsync()
    {
        if (_closed) return Task.CompletedTask;
        _closed = true;
        _scoreGeneration++;
        _scoreTimer?.Dispose();
        var saves = new List<Task>();
        foreach (var f in _fields.Values)
        {
            Cancel(f);
            if (f.HasUnsavedText && f.State is SaveState.Pending or SaveState.Failed && !f.InFlight)
                saves.Add(SaveAsync(f));
        }
        return Task.WhenAll(saves);
    }

    private void Notify()
    {
        if (!_closed) Changed();
    }

    private void Cancel(FieldState field)
    {
        field.TimerGeneration++;
        field.Timer?.Dispose();
        field.Timer = null;
    }

    private void Schedule(FieldState field, TimeSpan delay)
    {
        Cancel(field);
        if (_closed) return;
        var generation = field.TimerGeneration;
        field.Timer = clock.CreateTimer(_ => _ = FireAsync(field, generation), null, delay, Timeout.InfiniteTimeSpan);
    }

    private async Task FireAsync(FieldState field, int generation)
    {
        try
        {
            await Dispatch(() =>
            {
                if (generation != field.TimerGeneration || _closed) return Task.CompletedTask; // replaced by a newer keystroke
                field.Timer?.Dispose();
                field.Timer = null;
                return SaveAsync(field);
            });
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The autosave of {Address} in assessment {Id} failed", field.Address, AssessmentId);
        }
    }

    private void ScheduleScore()
    {
        if (_closed) return;
        _scoreTimer?.Dispose();
        var generation = ++_scoreGeneration;
        _scoreTimer = clock.CreateTimer(_ => _ = ScoreAsync(generation), null, ScorePause, Timeout.InfiniteTimeSpan);
    }

    private async Task ScoreAsync(int generation)
    {
        try
        {
            await Dispatch(() => generation == _scoreGeneration && !_closed ? Rescore() : Task.CompletedTask);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Rescoring assessment {Id} failed", AssessmentId);
        }
    }
}
