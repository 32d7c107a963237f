using DtiPortal.Application.Assessments;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.PublicResults;

/// <summary>
/// The review fixture (province P › district D › communes C1–C3, the test set, the review roles) plus three communes with
/// Vietnamese names under D, so a round has six assessments. Tests arrange statuses and stored results directly as the
/// tables' owner, publish through the real <see cref="PublishRound"/>, and read as an anonymous visitor.
/// </summary>
public sealed class PublicResultsFixture : IAsyncLifetime
{
    public ReviewFixture Review { get; } = new();

    public async Task InitializeAsync()
    {
        await Review.InitializeAsync();
        await using var db = Review.Entry.Db.OwnerContext();
        foreach (var (code, name, kind) in new[] { ("LD", "Lạc Đạo", UnitKind.Xa), ("NQ", "Như Quỳnh", UnitKind.ThiTran), ("DD", "Đình Dù", UnitKind.Xa) })
        {
            var unit = new AdministrativeUnit(code, name, kind, kind.LevelCode(), Review.Entry.Units["D"]);
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            Review.Entry.Units[code] = unit.Id;
        }
        Review.Entry.Db.Services.GetRequiredService<UnitHierarchy>().Invalidate();
    }

    public Task DisposeAsync() => Review.DisposeAsync();

    /// <summary>The public use case resolved as an anonymous visitor (scope: nobody), as the public pages resolve it.</summary>
    public PublicResultsQueries Anonymous()
    {
        var scope = Review.Entry.Db.ScopeAs(FixedUnitScope.Nobody);
        return scope.ServiceProvider.GetRequiredService<PublicResultsQueries>();
    }

    public PublicResultsCache Cache => Review.Entry.Db.Services.GetRequiredService<PublicResultsCache>();

    /// <summary>Puts the assessment of <paramref name="unit"/> in <paramref name="status"/>; for Approved/Published also stores a result.</summary>
    public async Task ArrangeAsync(Dictionary<string, int> assessments, string unit, AssessmentStatus status, decimal total = 0,
        DateTimeOffset? approvedAt = null, int version = 1)
    {
        var id = assessments[unit];
        await Review.ForceAsync(id, status);
        if (status is AssessmentStatus.Approved or AssessmentStatus.Published) await AddResultAsync(id, total, approvedAt ?? DateTimeOffset.UtcNow.AddMinutes(-5), version);
    }

    /// <summary>A stored recognised result as an approval writes it: the rows of the test set, the group "1" holding the total.</summary>
    public async Task AddResultAsync(int assessmentId, decimal total, DateTimeOffset approvedAt, int version = 1)
    {
        await using var db = Review.Entry.Db.OwnerContext();
        var a = await db.Assessments.SingleAsync(x => x.Id == assessmentId);
        IReadOnlyList<ResultRow> rows =
        [
            new("1", "Nhóm thử", 0, true, 100, total, total, total, null, null, null, null),
            new("1.1", "Trưởng Ban chỉ đạo chuyển đổi số", 1, false, 20, 20, 20, 20, null, null, null, null),
            new("1.2", "Có kết nối mạng truyền số liệu chuyên dùng", 1, false, 10, 10, 10, 10, null, null, null, "Điều chỉnh khi thẩm định"),
        ];
        db.RecognisedResults.Add(new RecognisedResult(a.Id, a.UnitId, version, Guid.NewGuid(), total + 1, total, total, null, null,
            Recognition.RowsJson(rows), $"{version:00}/2024/QĐ-CĐS", approvedAt, "chair-p", "Đỗ Quang Vinh", null));
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlAsync($"update assessments set recognised_total = {total}, approved_at = {approvedAt} where id = {assessmentId}");
    }

    /// <summary>Publishes the round through the real use case, as P's provincial administrator.</summary>
    public async Task PublishAsync(int roundId)
    {
        var result = await Review.Entry.AsAsync<PublishRound, ReviewResult>(Review.Admin(), p => p.HandleAsync(roundId));
        Assert.True(result.Ok, result.Error);
    }
}
