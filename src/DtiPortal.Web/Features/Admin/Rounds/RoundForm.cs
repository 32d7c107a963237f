using DtiPortal.Application.Assessments;
using FluentValidation;

namespace DtiPortal.Web.Features.Admin.Rounds;

/// <summary>The editable form behind <see cref="CreateRoundRequest"/> (same property names, so field messages line up).</summary>
public sealed class RoundForm
{
    public int Year { get; set; }
    public string Name { get; set; } = "";
    public int CriteriaSetVersionId { get; set; }
    public int ProvinceUnitId { get; set; }
    public string LevelCode { get; set; } = "commune";
    public DateOnly EntryDeadline { get; set; }
    public DateOnly ReviewDeadline { get; set; }
    public DateOnly CouncilDeadline { get; set; }
    public bool HasDistrictTier { get; set; }

    public CreateRoundRequest ToRequest() => new(Year, Name.Trim(), CriteriaSetVersionId, ProvinceUnitId, LevelCode,
        EntryDeadline, ReviewDeadline, CouncilDeadline, HasDistrictTier);
}

/// <summary>Runs the use case's own validator on the form, so the rules live in one place (Application).</summary>
public sealed class RoundFormValidator : AbstractValidator<RoundForm>
{
    public RoundFormValidator(IValidator<CreateRoundRequest> inner)
    {
        RuleFor(x => x).Custom((form, context) =>
        {
            foreach (var error in inner.Validate(form.ToRequest()).Errors)
                context.AddFailure(error.PropertyName, error.ErrorMessage);
        });
    }
}
