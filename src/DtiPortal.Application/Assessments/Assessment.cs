using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// One unit's assessment in one round: created (Draft) for every valid unit of the round's level when the round is
/// created. Unit-owned (ADR-006). The rules live in <see cref="AssessmentRules"/> (Domain); PostgreSQL's xmin is the
/// row version, so two concurrent submits cannot both win.
/// </summary>
public sealed class Assessment : IUnitOwned
{
    private Assessment() { } // EF

    public Assessment(AssessmentRound round, int unitId) : this(round.Id, unitId)
    {
        Round = round;
    }

    public Assessment(int roundId, int unitId)
    {
        RoundId = roundId;
        UnitId = unitId;
        Status = AssessmentStatus.Draft;
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public int RoundId { get; private set; }
    public AssessmentRound? Round { get; private set; }
    public AssessmentStatus Status { get; private set; }
    public int? TargetLevel { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    public string? SubmittedBy { get; private set; }
    /// <summary>The idempotency key of the request that submitted it (unique): a retry with it is "already submitted".</summary>
    public Guid? SubmissionKey { get; private set; }
    public uint RowVersion { get; private set; }

    /// <summary>The unit still holds the figures: Draft, or Returned by the reviewer.</summary>
    public bool AwaitingEntry => Status is AssessmentStatus.Draft or AssessmentStatus.Returned;

    public bool CanEdit(bool roundOpen) => AssessmentRules.CanEdit(AwaitingEntry, roundOpen);

    public SubmitOutcome Submit(DateTimeOffset now, Guid key, bool roundOpen, string? by)
    {
        var outcome = AssessmentRules.Submit(AwaitingEntry, roundOpen, SubmissionKey, key);
        if (outcome == SubmitOutcome.AlreadySubmitted) return outcome;
        Status = AssessmentStatus.Submitted;
        SubmittedAt = now;
        SubmittedBy = by;
        SubmissionKey = key;
        return outcome;
    }

    public void RegisterTargetLevel(int level, IReadOnlyList<MaturityLevel> levels, bool roundOpen)
    {
        if (AssessmentRules.WhyCannotEdit(AwaitingEntry, roundOpen) is { } why) throw new DomainException(why);
        AssessmentRules.CheckTargetLevel(level, levels);
        TargetLevel = level;
    }
}

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.ToTable("assessments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.TargetLevel).HasColumnName("target_level");
        b.Property(x => x.SubmittedAt).HasColumnName("submitted_at");
        b.Property(x => x.SubmittedBy).HasColumnName("submitted_by").HasMaxLength(256);
        b.Property(x => x.SubmissionKey).HasColumnName("submission_key");
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Ignore(x => x.AwaitingEntry);
        b.HasIndex(x => new { x.RoundId, x.UnitId }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasIndex(x => x.SubmissionKey).IsUnique();
        b.HasOne(x => x.Round).WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
