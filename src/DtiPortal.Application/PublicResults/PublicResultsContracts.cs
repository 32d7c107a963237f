using DtiPortal.Application.Reviews;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.PublicResults;

/// <summary>A round whose results have been published (seed 002 §II.2 "công bố, công khai kết quả"), as the public sees it.</summary>
public sealed record PublishedRound(
    int Id, int Year, string Name, int ProvinceUnitId, string ProvinceName, string LevelCode, string LevelName,
    int CriteriaSetVersionId, string SetName, string DecisionNumber, DateTimeOffset PublishedAt, int UnitCount);

/// <summary>A national ranking that can be shown: the published rounds of one year on one criteria set version (so one scale).</summary>
public sealed record NationalRankingKey(int Year, int CriteriaSetVersionId, string SetName, string LevelCode, string LevelName, int RoundCount, int UnitCount);

/// <summary>The public landing page: every published round, newest year first, and the national rankings available.</summary>
public sealed record PublicLanding(IReadOnlyList<PublishedRound> Rounds, IReadOnlyList<NationalRankingKey> National);

/// <summary>A main index (chỉ số chính: a depth-0 row of the stored result), the columns of a ranking.</summary>
public sealed record MainIndex(string Code, string Name, decimal Max);

/// <summary>A count shown in the distribution (by maturity level, or by band of points for a points-only set).</summary>
public sealed record DistributionBand(string Label, int Count);

/// <summary>A filter choice (a district, or a province in the national ranking).</summary>
public sealed record FilterOption(int Id, string Name, int Count);

/// <summary>
/// One published unit in a ranking. <see cref="Indices"/>: per main index, the achieved points (points sets) or the level
/// met (levels-only sets), from the stored result; null where the stored result has none.
/// </summary>
public sealed record RankedUnit(
    int Rank, int AssessmentId, int RoundId, int UnitId, string UnitName, int? ParentId, string? ParentName, int ProvinceUnitId,
    string? ProvinceName, decimal Total, int? Level, string? LevelName, IReadOnlyList<decimal?> Indices)
{
    private string? _searchKey;

    /// <summary>The unit's name folded for accent-insensitive search ("xa lac dao"); computed on the first search.</summary>
    public string SearchKey => _searchKey ??= VietnameseText.Fold(UnitName);
}

/// <summary>What the rows of a ranking have in common: the scale (points or levels), its main indices and level names.</summary>
public sealed record RankingScale(bool LevelsOnly, decimal? MaxPoints, IReadOnlyList<MainIndex> Indices, IReadOnlyList<MaturityLevel> Levels)
{
    public string? LevelName(int? level) => level is { } l ? Levels.FirstOrDefault(x => x.Level == l)?.Name : null;
}

/// <summary>A ranking (one round, or national) with its search and filter. Built once per publication and cached.</summary>
public sealed class Ranking(RankingScale scale, IReadOnlyList<RankedUnit> rows, IReadOnlyList<DistributionBand> distribution,
    IReadOnlyList<FilterOption> filters)
{
    public RankingScale Scale { get; } = scale;
    /// <summary>Every ranked unit, by rank (ties share a rank: 1, 2, 2, 4), then name.</summary>
    public IReadOnlyList<RankedUnit> Rows { get; } = rows;
    public IReadOnlyList<DistributionBand> Distribution { get; } = distribution;
    /// <summary>The districts (round ranking) or provinces (national ranking) to filter by; empty when there is only one.</summary>
    public IReadOnlyList<FilterOption> Filters { get; } = filters;

    /// <summary>
    /// The rows whose unit name contains <paramref name="search"/> (accent- and case-insensitive: "lac dao" finds "Lạc Đạo")
    /// and that lie under <paramref name="filterId"/> (a district, or a province in the national ranking). Ranks stay the
    /// unit's rank in the whole ranking.
    /// </summary>
    public IReadOnlyList<RankedUnit> Filter(string? search, int? filterId, bool byProvince = false)
    {
        var folded = string.IsNullOrWhiteSpace(search) ? null : VietnameseText.Fold(search);
        if (folded is null && filterId is null) return Rows;
        return Rows.Where(r => (folded is null || r.SearchKey.Contains(folded, StringComparison.Ordinal))
                               && (filterId is null || (byProvince ? r.ProvinceUnitId : r.ParentId) == filterId)).ToList();
    }

    public RankedUnit? Find(int assessmentId) => Rows.FirstOrDefault(r => r.AssessmentId == assessmentId);
}

/// <summary>The public ranking of one published round.</summary>
public sealed record RoundResults(PublishedRound Round, Ranking Ranking);

/// <summary>
/// The national ranking of one year on one criteria set version (every province's published round on it). Its rows carry
/// no main-index values (the ranking needs only totals and levels); <see cref="PublicResultsQueries.WithIndicesAsync"/> adds
/// them for the rows a page shows, and keeps them here for the next visitor.
/// </summary>
public sealed record NationalResults(NationalRankingKey Key, Ranking Ranking)
{
    internal System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<decimal?>> Indices { get; } = new();
}

/// <summary>
/// One unit's published result: the stored result version that was current when it was published (never recomputed), every
/// row of it (self-assessed, appraised and achieved points and levels), the decision number and date.
/// </summary>
public sealed record PublishedUnitResult(
    PublishedRound Round, RankingScale Scale, int AssessmentId, int UnitId, string UnitName, string? ParentName, int? Rank, int RankedCount,
    decimal SelfTotal, decimal AppraisedTotal, decimal Total, int? SelfLevel, int? Level, string DocumentNumber, DateTimeOffset ApprovedAt,
    DateTimeOffset PublishedAt, IReadOnlyList<ResultRow> Rows);
