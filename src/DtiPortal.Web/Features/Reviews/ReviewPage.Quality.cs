using DtiPortal.Application.Quality;
using DtiPortal.Web.Components;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Reviews;

// The review page's data-quality part (issue 15): the flags beside each figure and the "cần theo dõi" marks.
public sealed partial class ReviewPage
{
    [Inject] private DataQuality Quality { get; set; } = default!;
    [Inject] private MarkFollowUp MarkFollowUp { get; set; } = default!;

    private AssessmentQuality? _quality;

    private bool CanMarkFigures => _model is { Status: not DtiPortal.Domain.Assessments.AssessmentStatus.Draft } && Quality.IsChecker;

    private IReadOnlyList<QualityFlagRow> FlagsOf(string address) => _quality?.Flags.Where(f => f.FigureKey == address).ToList() ?? [];

    private FollowUpView? MarkOf(string address) => _quality?.Marks.FirstOrDefault(m => m.Address == address);

    private async Task LoadQualityAsync()
    {
        // The checks never block the review: a refusal or a failure leaves the page without chips.
        try
        {
            var result = await Quality.AssessmentAsync(AssessmentId);
            _quality = result.Ok ? result.Value : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogWarning(ex, "Data-quality checks of assessment {Id} failed", AssessmentId);
            _quality = null;
        }
    }

    private async Task<string?> MarkAsync(string address, string note)
    {
        string? error = null;
        var result = await new UseCaseCall(Snackbar, Log).RunAsync($"Marking {address} of assessment {AssessmentId}",
            () => MarkFollowUp.HandleAsync(AssessmentId, address, note), message => error = message);
        if (result is not { Ok: true }) return error ?? "Không lưu được đánh dấu.";
        await LoadQualityAsync();
        StateHasChanged();
        return null;
    }
}
