using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Web.Features.Assessments;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DtiPortal.Web.Tests.Assessments;

/// <summary>
/// The entry page's autosave (<see cref="EntryForm"/>) against a store that keeps versions as SaveValue does, on a fake
/// clock: debounce, one save at a time, conflicts, retry after an outage, flush before submit, save on leave, restore.
/// </summary>
public sealed class EntryFormTests
{
    private const int AssessmentId = 7;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private readonly VersionedStore _store = new();

    private (EntryForm Form, FieldState Field) NewForm(string address = "1.1")
    {
        var form = new EntryForm(AssessmentId, _store, _clock, NullLogger.Instance);
        var field = form.Add(new FieldState(address, "Số hộ", null, InputType.Integer, [], false));
        field.Load(_store.Read(address));
        return (form, field);
    }

    [Fact]
    public void Typed_WhenThePauseIsNotOver_SavesNothingThenSavesTheLastTextOnce()
    {
        var (form, field) = NewForm();
        form.Typed(field, "1");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        form.Typed(field, "12");
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        form.Typed(field, "123");
        Assert.Equal(SaveState.Pending, field.State);
        Assert.Equal(1, form.SavingCount);
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(_store.Writes);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["1.1=123@1"], _store.Writes);
        Assert.Equal(SaveState.Saved, field.State);
        Assert.Equal(1, field.Version);
        Assert.Equal(_clock.GetUtcNow(), field.SavedAt);
        Assert.Equal(0, form.SavingCount);
    }

    [Fact]
    public void Typed_BackToTheSavedText_WritesNothing()
    {
        _store.Seed("1.1", "5");
        var (form, field) = NewForm();
        form.Typed(field, "56");
        form.Typed(field, "5");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_store.Writes);
        Assert.Equal(SaveState.Saved, field.State);
    }

    [Fact]
    public async Task Typed_WhileASaveIsUnderWay_WaitsForItThenSavesTheNewTextWithTheNewVersion()
    {
        var (form, field) = NewForm();
        var gate = _store.Hold();
        form.Typed(field, "10");
        _clock.Advance(EntryForm.TypingPause);
        Assert.Equal(SaveState.Saving, field.State);
        Assert.True(field.InFlight);

        form.Typed(field, "11");
        _clock.Advance(EntryForm.TypingPause);   // the timer fires, but the field's save is still under way
        Assert.Equal(1, _store.Calls);

        gate.SetResult();
        await WaitUntil(() => !field.InFlight);
        Assert.Equal(SaveState.Pending, field.State); // "10" saved, "11" still to save
        _clock.Advance(EntryForm.TypedDuringSave);

        Assert.Equal(["1.1=10@1", "1.1=11@2"], _store.Writes);
        Assert.Equal(SaveState.Saved, field.State);
        Assert.Equal(2, field.Version);
    }

    [Fact]
    public async Task Save_WhenSomeoneElseSavedSince_ShowsTheirValueKeepsMineAndWritesNothing()
    {
        var (form, field) = NewForm();
        _store.Seed("1.1", "99", by: "Nguyễn Văn B");   // saved by another officer after this page was opened
        form.Typed(field, "42");
        _clock.Advance(EntryForm.TypingPause);

        Assert.Equal(SaveState.Conflict, field.State);
        Assert.Equal("42", field.Text);
        Assert.Equal("99", AssessmentText.ToText(field.Theirs!.Value));
        Assert.Empty(_store.Writes);
        Assert.Equal(1, form.ProblemCount);

        form.Typed(field, "43"); // typing on does not save over theirs behind the user's back
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_store.Writes);

        await form.ResolveAsync(field, keepMine: true);
        Assert.Equal(["1.1=43@2"], _store.Writes);
        Assert.Equal(SaveState.Saved, field.State);
    }

    [Fact]
    public async Task Resolve_TakingTheirs_PutsTheirValueInTheBoxAndWritesNothing()
    {
        var (form, field) = NewForm();
        _store.Seed("1.1", "99");
        await form.ChooseAsync(field, "42");
        Assert.Equal(SaveState.Conflict, field.State);

        await form.ResolveAsync(field, keepMine: false);

        Assert.Equal("99", field.Text);
        Assert.False(field.HasUnsavedText);
        Assert.Equal(SaveState.Saved, field.State);
        Assert.Empty(_store.Writes);
    }

    [Fact]
    public void Save_WhenTheDatabaseIsDown_KeepsTheTextAndRetriesUntilItIsBack()
    {
        var (form, field) = NewForm();
        _store.Down = true;
        form.Typed(field, "250");
        _clock.Advance(EntryForm.TypingPause);

        Assert.Equal(SaveState.Failed, field.State);
        Assert.Equal(EntryForm.OutageMessage, field.Message);
        Assert.Equal("250", field.Text);
        _clock.Advance(EntryForm.RetryAfterOutage);
        Assert.Equal(SaveState.Failed, field.State); // still down: tried again, will try again
        Assert.Equal(2, _store.Calls);

        _store.Down = false;
        _clock.Advance(EntryForm.RetryAfterOutage);

        Assert.Equal(["1.1=250@1"], _store.Writes);
        Assert.Equal(SaveState.Saved, field.State);
        Assert.Null(field.Message);
    }

    [Fact]
    public void Save_WhenTheValueIsRefused_ShowsWhyKeepsTheTextAndDoesNotRetry()
    {
        var (form, field) = NewForm();
        form.Typed(field, "abc");
        _clock.Advance(EntryForm.TypingPause);
        Assert.Equal(SaveState.Invalid, field.State);
        Assert.Equal("Không phải số: abc", field.Message);
        Assert.Equal("abc", field.Text);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, _store.Calls);
    }

    [Fact]
    public async Task Flush_BeforeSubmit_SavesWhatWaitsAndWaitsForTheSaveUnderWay()
    {
        var (form, first) = NewForm("1.1");
        var second = form.Add(new FieldState("1.2", "Số người", null, InputType.Integer, [], false));
        var outage = form.Add(new FieldState("1.3", "Số máy", null, InputType.Integer, [], false));
        var gate = _store.Hold();
        form.Typed(first, "1");
        _clock.Advance(EntryForm.TypingPause);   // "1" is being saved
        form.Typed(first, "10");                 // and typed on
        form.Typed(second, "2");                 // still in its pause
        _store.DownFor("1.3");
        form.Typed(outage, "3");
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        var flush = form.FlushAsync();
        Assert.False(flush.IsCompleted);
        _store.DownFor(null);                      // the database is back by the time of the submit
        gate.SetResult();                          // (released after: the flush goes on on another thread)
        await flush;

        Assert.Equal(["1.1=1@1", "1.1=10@2", "1.2=2@1", "1.3=3@1"], _store.Writes);
        Assert.All(form.Fields.Values, f => Assert.Equal(SaveState.Saved, f.State));
        _clock.Advance(TimeSpan.FromMinutes(1));   // no timer left to save anything again
        Assert.Equal(4, _store.Writes.Count);
    }

    [Fact]
    public async Task Close_WithTextStillInItsPause_SavesItOnceAndNoTimerFiresAfterwards()
    {
        var (form, field) = NewForm();
        var changed = 0;
        form.Changed = () => changed++;
        form.Typed(field, "77");

        await form.CloseAsync();
        var shown = changed;
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["1.1=77@1"], _store.Writes);
        Assert.Equal(shown, changed); // the page is gone: nothing re-renders it
    }

    [Fact]
    public async Task Close_WhileASaveIsUnderWayWithNewerText_SavesTheNewerTextAtOnce()
    {
        var (form, field) = NewForm();
        var gate = _store.Hold();
        form.Typed(field, "5");
        _clock.Advance(EntryForm.TypingPause);
        form.Typed(field, "50");

        var close = form.CloseAsync();
        gate.SetResult();
        await close;
        await WaitUntil(() => _store.Writes.Count == 2);

        Assert.Equal(["1.1=5@1", "1.1=50@2"], _store.Writes);
    }

    [Fact]
    public async Task Restore_TextTypedOffline_SavesItThroughTheVersionCheck()
    {
        _store.Seed("1.1", "1");
        var (form, field) = NewForm();
        string? cleared = null;
        form.Unsaved = f => { if (!f.HasUnsavedText) cleared = f.Address; return Task.CompletedTask; };

        await form.RestoreAsync(field, "12", version: 1);

        Assert.Equal(["1.1=12@2"], _store.Writes);
        Assert.Equal("1.1", cleared);
    }

    [Fact]
    public async Task Restore_TextThatReachedTheServerBeforeTheConnectionWent_WritesNothing()
    {
        _store.Seed("1.1", "12");
        var (form, field) = NewForm();

        await form.RestoreAsync(field, "12", version: 0);

        Assert.Empty(_store.Writes);
        Assert.Equal(SaveState.Idle, field.State);
    }

    [Fact]
    public async Task Restore_WhenSomeoneSavedAfterItWasTyped_IsAConflictNotAnOverwrite()
    {
        _store.Seed("1.1", "1");
        _store.Seed("1.1", "2", by: "Trần Thị C");
        var (form, field) = NewForm();

        await form.RestoreAsync(field, "15", version: 1);

        Assert.Equal(SaveState.Conflict, field.State);
        Assert.Equal("15", field.Text);
        Assert.Empty(_store.Writes);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }

    /// <summary>
    /// Versions as SaveValue keeps them: a write with an outdated version is a conflict; the same text again writes
    /// nothing; a number that does not parse is refused. <see cref="Hold"/> keeps the next call open until released.
    /// </summary>
    private sealed class VersionedStore : ISaveValue
    {
        private readonly Dictionary<string, StoredValue> _rows = new(StringComparer.Ordinal);
        private TaskCompletionSource? _held;
        private string? _downFor;
        public List<string> Writes { get; } = [];
        public int Calls { get; private set; }
        public bool Down { get; set; }

        public StoredValue? Read(string address) => _rows.GetValueOrDefault(address);

        public void Seed(string address, string text, string by = "Lê Văn A")
        {
            var version = (_rows.GetValueOrDefault(address)?.Version ?? 0) + 1;
            _rows[address] = new StoredValue(address, decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), version, DateTimeOffset.UnixEpoch, by);
        }

        public TaskCompletionSource Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void DownFor(string? address) => _downFor = address;

        public async Task<SaveValueResult> HandleAsync(int assessmentId, string address, string? rawText, int expectedVersion, CancellationToken ct = default)
        {
            Assert.Equal(AssessmentId, assessmentId);
            Calls++;
            if (_held is { } held)
            {
                _held = null;
                await held.Task;
            }
            if (Down || _downFor == address) throw new InvalidOperationException("connection refused");
            decimal? value = null;
            if (rawText is not null)
            {
                if (!decimal.TryParse(rawText.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture, out var d))
                    return SaveValueResult.Invalid($"Không phải số: {rawText}");
                value = d;
            }
            var row = _rows.GetValueOrDefault(address);
            if (row is not null && row.Version != expectedVersion)
                return SaveValueResult.Conflicted(row, $"Giá trị này vừa được {row.UpdatedBy} sửa.");
            if (row is not null && Equals(row.Value, value)) return SaveValueResult.Ok(row.Version);
            var next = new StoredValue(address, value, (row?.Version ?? 0) + 1, DateTimeOffset.UnixEpoch, "tôi");
            _rows[address] = next;
            Writes.Add($"{address}={rawText}@{next.Version}");
            return SaveValueResult.Ok(next.Version);
        }
    }
}
