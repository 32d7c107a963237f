using FluentValidation;
using FluentValidation.Internal;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace DtiPortal.Web.Components.Forms;

/// <summary>
/// Runs a FluentValidation validator inside an <see cref="EditForm"/>: the whole model on submit, one field when it
/// changes, messages into a <see cref="ValidationMessageStore"/> so <c>ValidationMessage</c>/<c>ValidationSummary</c>
/// show them. The validator is <see cref="Validator"/> or the registered <c>IValidator&lt;TModel&gt;</c>.
/// Server-side problems found later (a user name already taken) are shown with <see cref="ShowErrors"/>.
/// Usage: <c>&lt;EditForm Model="m"&gt;&lt;FluentValidator @ref="v" /&gt;…</c>
/// </summary>
public sealed class FluentValidator : ComponentBase, IDisposable
{
    [CascadingParameter] private EditContext? EditContext { get; set; }
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Parameter] public IValidator? Validator { get; set; }

    private ValidationMessageStore? _messages;
    private EditContext? _context;
    private IValidator? _validator;

    protected override void OnParametersSet()
    {
        var context = EditContext ?? throw new InvalidOperationException($"{nameof(FluentValidator)} must be placed inside an EditForm.");
        _validator = Validator ?? (IValidator?)Services.GetService(typeof(IValidator<>).MakeGenericType(context.Model.GetType()))
            ?? throw new InvalidOperationException($"No IValidator<{context.Model.GetType().Name}> is registered.");
        if (ReferenceEquals(context, _context)) return;
        Detach();
        _context = context;
        _messages = new ValidationMessageStore(context);
        context.OnValidationRequested += OnValidationRequested;
        context.OnFieldChanged += OnFieldChanged;
    }

    private void OnValidationRequested(object? sender, ValidationRequestedEventArgs e)
    {
        _messages!.Clear();
        var result = _validator!.Validate(new ValidationContext<object>(_context!.Model));
        foreach (var error in result.Errors) _messages.Add(_context.Field(error.PropertyName), error.ErrorMessage);
        _context.NotifyValidationStateChanged();
    }

    private void OnFieldChanged(object? sender, FieldChangedEventArgs e)
    {
        var field = e.FieldIdentifier;
        var selector = new MemberNameValidatorSelector([field.FieldName]);
        var result = _validator!.Validate(new ValidationContext<object>(field.Model, new PropertyChain(), selector));
        _messages!.Clear(field);
        foreach (var error in result.Errors.Where(x => x.PropertyName == field.FieldName)) _messages.Add(field, error.ErrorMessage);
        _context!.NotifyValidationStateChanged();
    }

    /// <summary>Shows messages that only the server can know (field name → message; an empty field name is form-wide).</summary>
    public void ShowErrors(IEnumerable<(string Field, string Message)> errors)
    {
        foreach (var (field, message) in errors)
            _messages!.Add(field.Length == 0 ? new FieldIdentifier(_context!.Model, "") : _context!.Field(field), message);
        _context!.NotifyValidationStateChanged();
    }

    private void Detach()
    {
        if (_context is null) return;
        _context.OnValidationRequested -= OnValidationRequested;
        _context.OnFieldChanged -= OnFieldChanged;
        _messages?.Clear();
    }

    public void Dispose() => Detach();
}
