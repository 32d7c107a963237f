using DtiPortal.Application;
using MudBlazor;

namespace DtiPortal.Web.Components;

/// <summary>
/// How a page calls a use case (ADR-010): one call at a time (<see cref="Busy"/> disables the buttons), a refusal's
/// Vietnamese message shown where the page wants it (next to the form) or else in a snackbar, the unexpected logged
/// and told as a connection problem — never thrown into the circuit. One instance per page.
/// </summary>
public sealed class UseCaseCall(ISnackbar snackbar, ILogger logger)
{
    public const string UnexpectedMessage = "Không thực hiện được do lỗi kết nối; hãy thử lại (thao tác chỉ được ghi nhận một lần).";

    public bool Busy { get; private set; }

    /// <summary>
    /// Runs <paramref name="call"/>. Returns its result when it answered (Ok or refused: the page may look at
    /// <see cref="Result.Conflict"/>), null when it did not run (already busy) or failed unexpectedly.
    /// <paramref name="showError"/> receives the message to show; without it the message goes to a snackbar.
    /// </summary>
    public async Task<T?> RunAsync<T>(string what, Func<Task<T>> call, Action<string>? showError = null) where T : Result
    {
        if (Busy) return null;
        Busy = true;
        try
        {
            var result = await Result.Refusals<T?>(async () => await call(), message =>
            {
                Show(message, showError);
                return null;
            });
            if (result is { Ok: false }) Show(result.Error ?? "Không thực hiện được thao tác.", showError);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{What} failed", what);
            Show(UnexpectedMessage, showError);
            return null;
        }
        finally { Busy = false; }
    }

    /// <summary>A success worth telling (the page re-renders anyway).</summary>
    public void Done(string message) => snackbar.Add(message, Severity.Success);

    private void Show(string message, Action<string>? showError)
    {
        if (showError is not null) showError(message);
        else snackbar.Add(message, Severity.Error);
    }
}
