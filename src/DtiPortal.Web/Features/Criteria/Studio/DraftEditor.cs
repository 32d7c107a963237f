using DtiPortal.Application.Criteria.Studio;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Web.Features.Criteria.Studio;

/// <summary>
/// The editor page's state, kept out of the page (STYLE.md: no state machine in a .razor file): the draft's text and its
/// editing model, the loader's verdict on every change, and the autosave (a change is saved after a short pause; a save
/// in flight is followed by one more if the text moved on; a conflict stops saving and says so).
/// </summary>
public sealed class DraftEditor(int draftId, string yaml, int revision, Func<int, string, int, Task<DraftSaveResult>> save, TimeProvider clock)
{
    public static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(800);

    private readonly object _gate = new();
    private CancellationTokenSource? _pending;
    private Task _saving = Task.CompletedTask;

    public int DraftId { get; } = draftId;
    public string Yaml { get; private set; } = yaml;
    public int Revision { get; private set; } = revision;
    public DraftDocument? Document { get; private set; }
    /// <summary>Why the text cannot be edited in the form (not YAML); the YAML tab still can.</summary>
    public string? DocumentError { get; private set; }
    public CriteriaSet? Set { get; private set; }
    public IReadOnlyList<CriteriaLoadError> Errors { get; private set; } = [];
    public ILookup<string, CriteriaLoadError> ErrorsByNode { get; private set; } = Array.Empty<CriteriaLoadError>().ToLookup(e => "");
    public string SavedYaml { get; private set; } = yaml;
    public DateTimeOffset? SavedAt { get; private set; }
    public string? SaveMessage { get; private set; }
    public bool Conflict { get; private set; }
    public bool IsDirty => Yaml != SavedYaml;

    /// <summary>Raised after a save finishes (the page re-renders its status line).</summary>
    public event Action? Saved;

    public void Load()
    {
        Document = DraftDocument.TryLoad(Yaml, out var error);
        DocumentError = error;
        Validate();
    }

    /// <summary>Applies a change made through the form, then validates and schedules a save.</summary>
    public void Edit(Action<DraftDocument> change)
    {
        if (Document is null) return;
        change(Document);
        Yaml = Document.ToYaml();
        Validate();
        ScheduleSave();
    }

    /// <summary>Replaces the whole text (the YAML tab), re-reads the form model, validates and schedules a save.</summary>
    public void SetText(string yaml)
    {
        Yaml = yaml;
        Load();
        ScheduleSave();
    }

    public IEnumerable<CriteriaLoadError> ErrorsAt(string nodePath) => ErrorsByNode[nodePath];

    private void Validate()
    {
        var parsed = CriteriaSetLoader.Parse(Yaml);
        Set = parsed.Set;
        Errors = parsed.Errors;
        ErrorsByNode = parsed.Errors.ToLookup(e => DraftDocument.NodeOfError(e.Path));
    }

    private void ScheduleSave()
    {
        if (Conflict) return;
        CancellationTokenSource cts;
        lock (_gate)
        {
            _pending?.Cancel();
            _pending = cts = new CancellationTokenSource();
        }
        _ = DelayThenSaveAsync(cts.Token);
    }

    private async Task DelayThenSaveAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(SaveDelay, clock, ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await FlushAsync();
    }

    /// <summary>Saves now if the text changed (before publishing, trying on a round, leaving the page).</summary>
    public async Task FlushAsync()
    {
        Task previous;
        lock (_gate) previous = _saving;
        await previous;
        Task mine;
        lock (_gate) _saving = mine = SaveOnceAsync();
        await mine;
    }

    private async Task SaveOnceAsync()
    {
        var text = Yaml;
        if (text == SavedYaml || Conflict) return;
        try
        {
            var result = await save(DraftId, text, Revision);
            if (result.Saved)
            {
                Revision = result.Revision;
                SavedYaml = text;
                SavedAt = clock.GetUtcNow();
                SaveMessage = null;
            }
            else
            {
                Conflict = result.Conflict;
                SaveMessage = result.Message;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database or the network failed: keep the text (it is still here) and say so; the next edit tries again.
            SaveMessage = "Chưa lưu được bản nháp (lỗi kết nối cơ sở dữ liệu); hệ thống sẽ thử lại ở lần sửa tiếp theo.";
        }
        Saved?.Invoke();
    }
}
