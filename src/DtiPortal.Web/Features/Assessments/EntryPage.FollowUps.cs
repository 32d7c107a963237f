using DtiPortal.Application.Quality;
using DtiPortal.Domain.Assessments;
using DtiPortal.Web.Components;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Assessments;

// The entry page's "cần theo dõi" part (issue 15): the reviewers' marks beside the figures, and the unit's answers.
public sealed partial class EntryPage
{
    [Inject] private DataQuality Quality { get; set; } = default!;
    [Inject] private AnswerFollowUp AnswerFollowUp { get; set; } = default!;

    private IReadOnlyList<FollowUpView> _followUps = [];

    private async Task LoadFollowUpsAsync()
    {
        if (_model is null || _model.Status == AssessmentStatus.Draft) { _followUps = []; return; }
        try
        {
            var result = await Quality.AssessmentAsync(Id);
            _followUps = result.Ok ? result.Value!.Marks : [];
            // A marked figure is where the officer has to look: its section opens (as a returned criterion's does).
            foreach (var code in _followUps.Select(f => f.CriterionCode).OfType<string>())
                if (_sections.FirstOrDefault(s => code == s.Code || code.StartsWith(s.Code + ".", StringComparison.Ordinal)) is { } section)
                    _expanded.Add(section.Code);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogWarning(ex, "Loading the follow-up marks of assessment {Id} failed", Id);
            _followUps = [];
        }
    }

    private EntryFollowUps FollowUpsOf(string code, IEnumerable<string> addresses)
    {
        var set = addresses.Append(DataQuality.RatioPrefix + code).ToHashSet(StringComparer.Ordinal);
        return new EntryFollowUps([.. _followUps.Where(m => set.Contains(m.Address))], AnswerAsync);
    }

    /// <summary>Marks on general information (not beside any criterion's field): shown in the page's follow-up summary.</summary>
    private IReadOnlyList<FollowUpView> GeneralFollowUps =>
        [.. _followUps.Where(m => m.Address.StartsWith(Application.Assessments.AssessmentValue.GeneralPrefix, StringComparison.Ordinal))];

    private async Task<string?> AnswerAsync(long markId, string text)
    {
        string? error = null;
        var result = await new UseCaseCall(Snackbar, Log).RunAsync($"Answering follow-up {markId} of assessment {Id}",
            () => AnswerFollowUp.HandleAsync(markId, text), message => error = message);
        if (result is not { Ok: true }) return error ?? "Không gửi được trả lời.";
        await LoadFollowUpsAsync();
        StateHasChanged();
        return null;
    }
}

/// <summary>The marks beside one criterion's figures and how to answer them (null when sent, else the message).</summary>
public sealed record EntryFollowUps(IReadOnlyList<FollowUpView> Marks, Func<long, string, Task<string?>> Answer)
{
    public FollowUpView? Of(string address) => Marks.FirstOrDefault(m => m.Address == address);
}
