using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Reporting;

// The contracts of issue 7's dashboards (/tong-quan): what DashboardQueries returns to the pages. Every list holds only
// units in the caller's scope (tenancy filter + RLS); averages and counts are computed over those units only.

/// <summary>Where an assessment is, as the dashboards count it.</summary>
public enum ProgressBucket
{
    /// <summary>Draft, no value entered yet.</summary>
    NotStarted,
    /// <summary>Draft with at least one value.</summary>
    InProgress,
    /// <summary>Submitted, under district review, forwarded or under council appraisal.</summary>
    Submitted,
    /// <summary>Returned to the unit to fix.</summary>
    Returned,
    /// <summary>Approved or published.</summary>
    Approved,
}

/// <summary>Which of the round's deadlines an assessment has missed (Vietnam date).</summary>
public enum OverdueStage
{
    None,
    /// <summary>Not submitted (or returned and not resubmitted) after the entry deadline.</summary>
    Entry,
    /// <summary>Still with the district reviewer after the review deadline.</summary>
    Review,
    /// <summary>Still with the council after the council deadline.</summary>
    Council,
}

/// <summary>Who the radar compares a unit with.</summary>
public enum RadarPeers
{
    /// <summary>Every other unit of the round that the user sees.</summary>
    Round,
    /// <summary>The other units with the same parent (the commune's district).</summary>
    Parent,
}

/// <summary>Counts by progress bucket.</summary>
public sealed record ProgressCounts(int NotStarted, int InProgress, int Submitted, int Returned, int Approved)
{
    public static ProgressCounts Empty { get; } = new(0, 0, 0, 0, 0);

    public int Total => NotStarted + InProgress + Submitted + Returned + Approved;

    public int this[ProgressBucket bucket] => bucket switch
    {
        ProgressBucket.NotStarted => NotStarted,
        ProgressBucket.InProgress => InProgress,
        ProgressBucket.Submitted => Submitted,
        ProgressBucket.Returned => Returned,
        _ => Approved,
    };

    public static ProgressCounts Of(IEnumerable<ProgressBucket> buckets)
    {
        int n = 0, i = 0, s = 0, r = 0, a = 0;
        foreach (var b in buckets)
        {
            switch (b)
            {
                case ProgressBucket.NotStarted: n++; break;
                case ProgressBucket.InProgress: i++; break;
                case ProgressBucket.Submitted: s++; break;
                case ProgressBucket.Returned: r++; break;
                default: a++; break;
            }
        }
        return new ProgressCounts(n, i, s, r, a);
    }
}

/// <summary>How many assessments missed each deadline.</summary>
public sealed record OverdueCounts(int Entry, int Review, int Council)
{
    public int Total => Entry + Review + Council;
}

/// <summary>One step of the drill-down path (province › district › commune). <see cref="CanOpen"/>: inside the user's scope.</summary>
public sealed record UnitCrumb(int UnitId, string Name, bool CanOpen);

/// <summary>
/// One child of the unit being looked at (a district of the province, or a commune of the district): its round units'
/// progress, overdue count and average score. A child that is itself assessed in the round carries its assessment id.
/// </summary>
public sealed record ChildProgress(
    int UnitId, string Name, int? AssessmentId, int UnitCount, ProgressCounts Progress, int Overdue,
    int ScoredCount, decimal? AverageScore, decimal? AverageLevel, bool CanDrillDown);

/// <summary>A bin of the score histogram: [From, To), the last bin closed ([From, To]).</summary>
public sealed record ScoreBin(decimal From, decimal To, string Label, int Count);

/// <summary>How many units reached a level (0: not level 1).</summary>
public sealed record LevelCount(int Level, string Label, int Count);

/// <summary>
/// A main index (a depth-0 node of the set) and the average share of its maximum the scored units reached: points ÷ max
/// for a points set, the average level its criteria meet ÷ the highest level for a level set.
/// </summary>
public sealed record IndexShare(string Code, string Name, decimal Max, decimal AverageShare, decimal? AveragePoints, int UnitCount);

/// <summary>
/// The previous year's result the ranking compares with: the same unit's, or — for a unit formed by merging — the average of
/// its predecessors' (DOMAIN.md §2: the Ministry averaged predecessors' indices). Only recognised results (approved or
/// published) of a round of the same level, in any province, count; a measure is compared only where both years have it.
/// </summary>
public sealed record YearOverYear(
    int Year, decimal? PreviousScore, decimal? PreviousLevel, decimal? ScoreDelta, decimal? LevelDelta,
    int PredecessorCount, IReadOnlyList<string> ComparedWith);

/// <summary>
/// One unit in the ranking. <see cref="Score"/> and <see cref="Level"/> are the recognised ones for an approved or
/// published assessment, else the live self-assessed ones (<see cref="IsLive"/>); null while nothing is entered
/// (<see cref="Rank"/> is then null too). Ties share a rank (1, 2, 2, 4).
/// </summary>
public sealed record RankingRow(
    int? Rank, int AssessmentId, int UnitId, string UnitName, int? ParentId, string? ParentName,
    AssessmentStatus Status, ProgressBucket Bucket, OverdueStage Overdue,
    decimal? Score, int? Level, bool IsLive, YearOverYear? PreviousYear);

/// <summary>One unit's share of each main index (in <see cref="DashboardModel.MainIndices"/> order), for the radar.</summary>
public sealed record UnitIndexShares(int AssessmentId, int UnitId, string UnitName, int? ParentId, string? ParentName, IReadOnlyList<decimal> Shares);

/// <summary>A main index of the set (depth 0).</summary>
public sealed record MainIndex(string Code, string Name, decimal Max);

/// <summary>
/// Everything /tong-quan shows for one round and one unit of the drill-down (the province, a district …): counts and
/// charts over the round's units below <see cref="ParentUnitId"/>, and the per-unit shares of every unit of the round the
/// user sees (<see cref="Units"/>) for the radar.
/// </summary>
public sealed record DashboardModel(
    RoundSummary Round,
    bool HasPoints, decimal MaxScore, IReadOnlyList<MaturityLevel> Levels,
    int ParentUnitId, string ParentName, IReadOnlyList<UnitCrumb> Breadcrumb,
    DateOnly Today,
    ProgressCounts Progress, OverdueCounts Overdue,
    IReadOnlyList<ChildProgress> Children,
    IReadOnlyList<ScoreBin> ScoreDistribution,
    IReadOnlyList<LevelCount> LevelDistribution,
    IReadOnlyList<MainIndex> MainIndices,
    IReadOnlyList<IndexShare> WeakestIndices,
    IReadOnlyList<RankingRow> Ranking,
    int? PreviousYear,
    IReadOnlyList<UnitIndexShares> Units)
{
    public bool HasLevels => Levels.Count > 0;
    public int ScoredCount => Ranking.Count(r => r.Rank is not null);
}

/// <summary>The radar: one unit's share of each main index against the average of its peers (fractions 0…1). <see cref="PeersLabel"/> starts in lower case ("trung bình các đơn vị khác của đợt").</summary>
public sealed record RadarData(int AssessmentId, string UnitName, string PeersLabel, int PeerCount, IReadOnlyList<RadarAxis> Axes);

public sealed record RadarAxis(string Code, string Name, decimal UnitShare, decimal? PeerAverage);

/// <summary>One row of a unit's drill-down: a main index, component or criterion, with its evidence count.</summary>
public sealed record UnitCriterionRow(
    string Code, string Name, int Depth, bool IsGroup, decimal Max,
    decimal SelfPoints, decimal AchievedPoints, int? SelfLevelMet, int? AchievedLevelMet, int EvidenceCount);

/// <summary>
/// One assessed unit seen from the dashboard (/tong-quan/don-vi/{id}): its main indices and criteria with self-assessed and
/// achieved points (the stored recognised result once approved, else computed live) and how much evidence each has.
/// </summary>
public sealed record UnitDashboard(
    int AssessmentId, RoundSummary Round, int UnitId, string UnitName, int? ParentId, string? ParentName,
    AssessmentStatus Status, ProgressBucket Bucket, OverdueStage Overdue, bool IsRecognised,
    bool HasPoints, decimal MaxScore, IReadOnlyList<MaturityLevel> Levels,
    decimal SelfTotal, decimal AchievedTotal, int? SelfLevel, int? AchievedLevel,
    IReadOnlyList<UnitCriterionRow> Rows, int EvidenceCount, IReadOnlyList<UnitCrumb> Breadcrumb);
