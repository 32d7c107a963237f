using System.Text.Json;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Units;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>The checks of a new round that need no database. Messages are Vietnamese, per field.</summary>
public sealed class CreateRoundValidator : AbstractValidator<CreateRoundRequest>
{
    public CreateRoundValidator(TimeProvider clock)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Nhập tên đợt đánh giá.")
            .Must(v => v.Trim().Length <= 300).WithMessage("Tên đợt đánh giá dài quá 300 ký tự.");
        RuleFor(x => x.Year)
            .Must(y => y >= 2020 && y <= clock.GetUtcNow().Year + 1)
            .WithMessage(x => $"Năm đánh giá {x.Year} không hợp lý: chọn từ 2020 đến {clock.GetUtcNow().Year + 1}.");
        RuleFor(x => x.LevelCode)
            .Must(l => l is UnitLevel.Commune or UnitLevel.District or UnitLevel.Province)
            .WithMessage("Chọn cấp đơn vị được đánh giá (cấp xã, cấp huyện hoặc cấp tỉnh).");
        RuleFor(x => x.EntryDeadline)
            .Must((x, d) => d.Year >= x.Year).WithMessage("Hạn nhập số liệu không được trước năm đánh giá.");
        RuleFor(x => x.ReviewDeadline)
            .Must((x, d) => d >= x.EntryDeadline).WithMessage("Hạn thẩm tra phải bằng hoặc sau hạn nhập số liệu.");
        RuleFor(x => x.CouncilDeadline)
            .Must((x, d) => d >= x.ReviewDeadline).WithMessage("Hạn thẩm định của Hội đồng phải bằng hoặc sau hạn thẩm tra.");
        RuleFor(x => x.CriteriaSetVersionId).GreaterThan(0).WithMessage("Chọn bộ chỉ số.");
        RuleFor(x => x.ProvinceUnitId).GreaterThan(0).WithMessage("Chọn tỉnh.");
    }
}

public sealed record CreateRoundResult(int? RoundId, int AssessmentCount, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>What a command did: succeeded, or a Vietnamese message to show.</summary>
public sealed record CommandResult(bool Succeeded, string? Error)
{
    public static CommandResult Ok { get; } = new(true, null);
    public static CommandResult Fail(string message) => new(false, message);
}

/// <summary>
/// Rounds (issue 5): a provincial admin of the province (or a system admin) opens a round for a level on a stored set
/// version, which creates one Draft assessment per unit of that level under the province that is valid at the end of
/// the round's year, with each criterion assigned to the set's <c>lead</c> department; closes it; extends its entry deadline.
/// Closing and extending are audited with the values before and after.
/// </summary>
public sealed class RoundAdmin(
    IDbContextFactory<DtiDbContext> dbFactory, AccessGuard guard, IUnitScope scope, IValidator<CreateRoundRequest> validator,
    RoundSetCache sets, IAuditLog audit, TimeProvider clock)
{
    public const string CreateAction = "Tạo đợt đánh giá";
    public const string CloseAction = "Khóa đợt đánh giá";
    public const string ExtendAction = "Gia hạn đợt đánh giá";
    public const string DeadlineRulesAction = "Đặt quy định về hạn nộp";

    /// <summary>Seed 000 §V reporting deadlines of a year, for criteria whose period lists quarters (see <see cref="ReportingCalendar"/>).</summary>
    public static IReadOnlyList<PeriodDeadline> PeriodDeadlines(int year) =>
        ReportingCalendar.PeriodDeadlines(year).Select(p => new PeriodDeadline(p.Period, p.Deadline)).ToList();

    public async Task<CreateRoundResult> CreateAsync(CreateRoundRequest request, CancellationToken ct = default)
    {
        await guard.DemandAsync(CreateAction, request.ProvinceUnitId > 0 ? request.ProvinceUnitId : null, Roles.Admins, ct);
        var errors = (await validator.ValidateAsync(request, ct)).Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var province = await db.Units.AsNoTracking().Where(u => u.Id == request.ProvinceUnitId)
            .Select(u => new { u.Id, u.Name, u.LevelCode }).SingleOrDefaultAsync(ct);
        if (request.ProvinceUnitId > 0 && (province is null || province.LevelCode != UnitLevel.Province))
            errors.Add(new FieldError(nameof(CreateRoundRequest.ProvinceUnitId), "Đơn vị được chọn không phải là tỉnh/thành phố."));
        var version = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.Id == request.CriteriaSetVersionId)
            .Select(v => new { v.Id, v.Level, v.SetId, v.Version, v.OwnerUnitId }).SingleOrDefaultAsync(ct);
        if (request.CriteriaSetVersionId > 0 && version is null)
            errors.Add(new FieldError(nameof(CreateRoundRequest.CriteriaSetVersionId), "Không tìm thấy phiên bản bộ chỉ số này."));
        else if (version is not null && version.Level != request.LevelCode)
            errors.Add(new FieldError(nameof(CreateRoundRequest.CriteriaSetVersionId),
                $"Bộ chỉ số {version.SetId} v{version.Version} dùng cho {CriteriaQueries.LevelName(version.Level).ToLowerInvariant()}, " +
                $"không phải {CriteriaQueries.LevelName(request.LevelCode).ToLowerInvariant()}."));
        else if (version is not null && province is not null && version.OwnerUnitId is { } owner && owner != province.Id)
            // Issue 14: a province's own set is usable only in that province.
            errors.Add(new FieldError(nameof(CreateRoundRequest.CriteriaSetVersionId),
                $"Bộ chỉ số {version.SetId} v{version.Version} là bộ chỉ số riêng của tỉnh khác, không dùng được cho {province.Name}."));
        if (errors.Count > 0 || province is null || version is null) return new CreateRoundResult(null, 0, errors);

        var entrySet = await sets.GetAsync(db, version.Id, ct);
        var units = await UnitsOfRoundAsync(db, province.Id, request.LevelCode, request.Year, ct);
        if (units.Count == 0)
            return new CreateRoundResult(null, 0, [new FieldError(nameof(CreateRoundRequest.LevelCode),
                $"{province.Name} không có đơn vị {CriteriaQueries.LevelName(request.LevelCode).ToLowerInvariant()} nào còn hiệu lực vào cuối năm {request.Year} (31/12/{request.Year}).")]);

        var round = new AssessmentRound(request.Year, request.Name, version.Id, province.Id, request.LevelCode, request.EntryDeadline,
            request.ReviewDeadline, request.CouncilDeadline, request.HasDistrictTier, clock.GetUtcNow(), scope.UserName);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AssessmentRounds.Add(round);
        foreach (var unitId in units) AddAssessment(db, round, unitId, entrySet);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CreateRoundResult(round.Id, units.Count, []);
    }

    /// <summary>Adds a Draft assessment and its default assignments (the set's lead column) to the context.</summary>
    internal static Assessment AddAssessment(DtiDbContext db, AssessmentRound round, int unitId, EntrySet set)
    {
        var assessment = new Assessment(round, unitId);
        db.Assessments.Add(assessment);
        foreach (var criterion in set.Criteria)
            db.CriterionAssignments.Add(new CriterionAssignment(assessment, criterion.Code, criterion.Details.Lead));
        return assessment;
    }

    /// <summary>
    /// Units of the level under the province that are valid on 31 December of the round's year (ValidFrom/ValidTo): the
    /// year is assessed as it ends, so in 2025 the communes formed on 1/7/2025 are assessed, not the ones merged into them.
    /// </summary>
    internal static async Task<List<int>> UnitsOfRoundAsync(DtiDbContext db, int provinceId, string levelCode, int year, CancellationToken ct)
    {
        var yearEnd = new DateOnly(year, 12, 31);
        var all = await db.Units.AsNoTracking()
            .Where(u => (u.ValidFrom == null || u.ValidFrom <= yearEnd) && (u.ValidTo == null || u.ValidTo >= yearEnd))
            .Select(u => new { u.Id, u.ParentId, u.LevelCode }).ToListAsync(ct);
        var children = all.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value);
        var result = new List<int>();
        var stack = new Stack<int>([provinceId]);
        while (stack.Count > 0)
        {
            foreach (var child in children[stack.Pop()])
            {
                if (child.LevelCode == levelCode) result.Add(child.Id);
                else stack.Push(child.Id);
            }
        }
        return result;
    }

    public async Task<CommandResult> CloseAsync(int roundId, string reason, CancellationToken ct = default) =>
        await ChangeAsync(roundId, CloseAction, "RoundClosed", r => r.Close(reason), ct);

    public async Task<CommandResult> ExtendAsync(int roundId, DateOnly newEntryDeadline, string reason, CancellationToken ct = default) =>
        await ChangeAsync(roundId, ExtendAction, "RoundExtended", r => r.Extend(newEntryDeadline, reason), ct);

    /// <summary>"Cho phép nộp muộn" and the resubmission window after a return (issue 15), audited before and after.</summary>
    public async Task<CommandResult> SetDeadlineRulesAsync(int roundId, bool allowLateSubmission, int resubmitDays, CancellationToken ct = default) =>
        await ChangeAsync(roundId, DeadlineRulesAction, "RoundDeadlineRulesChanged", r => r.SetDeadlineRules(allowLateSubmission, resubmitDays), ct);

    private async Task<CommandResult> ChangeAsync(int roundId, string action, string auditAction, Action<AssessmentRound> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.SingleOrDefaultAsync(r => r.Id == roundId, ct);
        await guard.DemandAsync(action, round?.ProvinceUnitId, Roles.Admins, ct);
        if (round is null) return CommandResult.Fail("Không tìm thấy đợt đánh giá này.");
        var before = Snapshot(round);
        try
        {
            change(round);
        }
        catch (DomainException ex)
        {
            return CommandResult.Fail(ex.Message);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Fail("Đợt đánh giá vừa được người khác thay đổi; tải lại trang rồi thử lại.");
        }
        await audit.WriteAsync(new AuditEvent(auditAction, nameof(AssessmentRound), round.Id.ToString(), round.ProvinceUnitId,
            Before: before, After: Snapshot(round), Detail: $"{action} “{round.Name}”."), ct);
        return CommandResult.Ok;
    }

    private static string Snapshot(AssessmentRound r) => JsonSerializer.Serialize(new
    {
        Status = r.Status.ToString(), EntryDeadline = r.EntryDeadline.ToString("yyyy-MM-dd"), r.ClosedReason,
        ReviewDeadline = r.ReviewDeadline.ToString("yyyy-MM-dd"), CouncilDeadline = r.CouncilDeadline.ToString("yyyy-MM-dd"),
        r.AllowLateSubmission, r.ResubmitDays,
    });

    /// <summary>The rounds an admin manages: every round of a province in their scope (all for a system admin).</summary>
    public async Task<IReadOnlyList<RoundSummary>> ListAsync(CancellationToken ct = default)
    {
        await guard.DemandAsync("Xem danh sách đợt đánh giá", null, Roles.Admins, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rounds = db.AssessmentRounds.AsNoTracking();
        if (!scope.IsUnrestricted)
        {
            var visible = scope.UnitIds.ToArray();
            rounds = rounds.Where(r => visible.Contains(r.ProvinceUnitId));
        }
        return await SummariesAsync(db, rounds, ct);
    }

    public async Task<RoundSummary?> GetAsync(int roundId, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(r => r.Id == roundId);

    internal static async Task<List<RoundSummary>> SummariesAsync(DtiDbContext db, IQueryable<AssessmentRound> rounds, CancellationToken ct)
    {
        var rows = await (from r in rounds
                          join v in db.CriteriaSetVersions on r.CriteriaSetVersionId equals v.Id
                          join p in db.Units on r.ProvinceUnitId equals p.Id
                          orderby r.Year descending, r.Name
                          select new RoundSummary(r.Id, r.Year, r.Name, r.CriteriaSetVersionId, v.SetId, v.Version, v.Name, r.LevelCode,
                              r.ProvinceUnitId, p.Name, r.EntryDeadline, r.ReviewDeadline, r.CouncilDeadline, r.Status, r.HasDistrictTier,
                              db.Assessments.Count(a => a.RoundId == r.Id), r.AllowLateSubmission, r.ResubmitDays)).ToListAsync(ct);
        return rows;
    }
}
