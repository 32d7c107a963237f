using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Notifications;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Tenancy;

/// <summary>
/// Issue 16 §2, the isolation matrix for the tables without a unit column (ADR-006): a user's inbox (<c>notifications</c>,
/// by user id), the e-mail outbox (the system only), a round's frozen cohorts (<c>score_snapshots</c>) and council
/// assignments (<c>council_assignments</c>, both by the round's province). Every role × a user at a commune, a district and
/// the province of A, through the application role with row-level security: rows of province B's round, another user's inbox
/// and the outbox are invisible, and updates, deletes and inserts aimed at them change nothing or are refused. No EF filter
/// exists on these tables, so what EF sees here is what the policies let through.
/// </summary>
public class ScopedTablesIsolationTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    /// <summary>Another user, whose inbox nobody else may read: in the same commune as the commune-level users.</summary>
    private const string Stranger = "user-stranger";

    public static TheoryData<string, Placement> Cases()
    {
        var data = new TheoryData<string, Placement>();
        foreach (var role in Roles.All)
            foreach (var placement in Enum.GetValues<Placement>())
                data.Add(role, placement);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ScopedTables_WhenUserActsOutsideTheirInboxOrProvince_SeesNothingAndChangesNothing(string role, Placement placement)
    {
        var scope = fixture.ScopeFor(role, placement);
        var me = scope.UserId!;
        var seed = await SeedAsync(me);
        var all = scope.IsUnrestricted;

        // Read: only the rounds of the user's province, only their own inbox, no outbox (unless unrestricted).
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            int[] rounds = all ? [seed.RoundA, seed.RoundB] : [seed.RoundA];
            Assert.Equal(rounds, await db.ScoreSnapshots.Select(x => x.RoundId).OrderBy(x => x).ToListAsync());
            Assert.Equal(rounds, await db.CouncilAssignments.Select(x => x.RoundId).OrderBy(x => x).ToListAsync());
            string[] inbox = all ? [Stranger, me] : [me];
            Assert.Equal(inbox.Order(StringComparer.Ordinal), (await db.Notifications.Select(x => x.UserId).ToListAsync()).Order(StringComparer.Ordinal));
            Assert.Equal(all ? 2 : 0, await db.EmailOutbox.CountAsync());
            Assert.Equal(all ? 1 : 0, await db.Notifications.CountAsync(n => n.Id == seed.StrangerNotification)); // even by a guessed id
        }

        if (!all)
        {
            // Update and delete outside: no row matches, through EF and through raw SQL alike.
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                Assert.Equal(0, await db.ScoreSnapshots.Where(x => x.RoundId == seed.RoundB).ExecuteUpdateAsync(u => u.SetProperty(x => x.UnitCount, 99)));
                Assert.Equal(0, await db.ScoreSnapshots.Where(x => x.RoundId == seed.RoundB).ExecuteDeleteAsync());
                Assert.Equal(0, await db.CouncilAssignments.Where(x => x.RoundId == seed.RoundB).ExecuteUpdateAsync(u => u.SetProperty(x => x.UserName, "Kẻ lạ")));
                Assert.Equal(0, await db.CouncilAssignments.Where(x => x.RoundId == seed.RoundB).ExecuteDeleteAsync());
                Assert.Equal(0, await db.Database.ExecuteSqlAsync($"update notifications set read_at = now() where user_id = {Stranger}"));
                Assert.Equal(0, await db.Database.ExecuteSqlAsync($"delete from notifications where id = {seed.StrangerNotification}"));
                Assert.Equal(0, await db.Database.ExecuteSqlRawAsync("update email_outbox set attempts = 99, to_address = 'ke-la@example.com'"));
                Assert.Equal(0, await db.Database.ExecuteSqlRawAsync("delete from email_outbox"));
            }
            // Insert for the other province's round: refused by the policy's WITH CHECK.
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.ScoreSnapshots.Add(new ScoreSnapshot(Guid.NewGuid(), seed.RoundB, DateTimeOffset.UtcNow, 1, "{}"));
                await AssertRefusedAsync(db);
            }
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.CouncilAssignments.Add(new CouncilAssignment(seed.RoundB, "2", me, "Người dùng thử"));
                await AssertRefusedAsync(db);
            }
            // Moving a visible row into the other province is refused too.
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                var ex = await Assert.ThrowsAsync<PostgresException>(() =>
                    db.Database.ExecuteSqlAsync($"update council_assignments set round_id = {seed.RoundB} where round_id = {seed.RoundA}"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
                ex = await Assert.ThrowsAsync<PostgresException>(() =>
                    db.Database.ExecuteSqlAsync($"update notifications set user_id = {Stranger} where user_id = {me}"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
            }
        }

        // Inside the scope the same operations work (so the refusals above are about scope, not grants), and notifying
        // someone else — a step that informs another unit's officers — works without being able to read it back.
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            db.ScoreSnapshots.Add(new ScoreSnapshot(Guid.NewGuid(), seed.RoundA, DateTimeOffset.UtcNow, 1, "{}"));
            db.CouncilAssignments.Add(new CouncilAssignment(seed.RoundA, "2", me, "Người dùng thử"));
            await db.Notifications.AddAsync(new Notification(Stranger, NotificationKind.Submitted, "Có bản đánh giá mới", "Nội dung", null, null, DateTimeOffset.UtcNow));
            await db.EmailOutbox.AddAsync(new EmailMessage("stranger@example.vn", "Người lạ", "Có bản đánh giá mới", "Nội dung", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            Assert.Equal(1, await db.CouncilAssignments.Where(x => x.RoundId == seed.RoundA && x.CriterionCode == "2").ExecuteUpdateAsync(u => u.SetProperty(x => x.UserName, "Đã đổi")));
            Assert.Equal(1, await db.CouncilAssignments.Where(x => x.RoundId == seed.RoundA && x.CriterionCode == "2").ExecuteDeleteAsync());
            Assert.Equal(1, await db.Notifications.Where(n => n.Id == seed.MyNotification).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, DateTimeOffset.UtcNow)));
            Assert.Equal(all ? 3 : 1, await db.Notifications.CountAsync());
        }

        // As the owner: nothing outside the scope changed.
        await using (var owner = fixture.Db.OwnerContext())
        {
            Assert.Equal(3, (await owner.ScoreSnapshots.AsNoTracking().SingleAsync(x => x.RoundId == seed.RoundB)).UnitCount);
            Assert.Equal("Nguyễn Văn B", (await owner.CouncilAssignments.AsNoTracking().SingleAsync(x => x.RoundId == seed.RoundB)).UserName);
            var stranger = await owner.Notifications.AsNoTracking().Where(n => n.UserId == Stranger).OrderBy(n => n.Id).ToListAsync();
            Assert.Equal(2, stranger.Count); // the seeded one and the one just delivered
            Assert.Null(stranger[0].ReadAt);
            Assert.Equal(3, await owner.EmailOutbox.CountAsync());
            Assert.All(await owner.EmailOutbox.AsNoTracking().ToListAsync(), m => Assert.Equal(0, m.Attempts));
            Assert.Equal(2, await owner.CouncilAssignments.CountAsync(x => x.RoundId == seed.RoundA || x.RoundId == seed.RoundB));
        }
    }

    [Fact]
    public async Task ScopedTables_RawSqlAsAppRole_FollowTheSessionSettingsAndFailClosed()
    {
        var seed = await SeedAsync("user-" + Roles.CommuneOfficer);
        await using var conn = new NpgsqlConnection(fixture.Db.ConnectionString);
        await conn.OpenAsync();
        string[] tables = ["notifications", "email_outbox", "score_snapshots", "council_assignments"];
        foreach (var table in tables) Assert.Equal(2L, await ScalarAsync(conn, $"select count(*) from {table}")); // the owner sees them all
        await ScalarAsync(conn, "set role dti_app");
        foreach (var table in tables) Assert.Equal(0L, await ScalarAsync(conn, $"select count(*) from {table}")); // no settings: nothing
        // A user id alone opens that user's inbox and nothing else.
        await ScalarAsync(conn, $"select set_config('dti.scope_user', '{Stranger}', false)");
        Assert.Equal(1L, await ScalarAsync(conn, "select count(*) from notifications"));
        Assert.Equal(seed.StrangerNotification, await ScalarAsync(conn, "select id from notifications"));
        Assert.Equal(0L, await ScalarAsync(conn, "select count(*) from email_outbox"));
        // A commune of province B: B's round only.
        await ScalarAsync(conn, $"select set_config('dti.scope_units', '{{{fixture.Units["B1a"]}}}', false)");
        Assert.Equal(seed.RoundB, await ScalarAsync(conn, "select round_id from score_snapshots"));
        Assert.Equal(seed.RoundB, await ScalarAsync(conn, "select round_id from council_assignments"));
        // 'yes' is not 'true': still restricted.
        await ScalarAsync(conn, "select set_config('dti.scope_all', 'yes', false)");
        Assert.Equal(0L, await ScalarAsync(conn, "select count(*) from email_outbox"));
        // Without a user and unrestricted scope nobody may fill an inbox or the outbox.
        await ScalarAsync(conn, "select set_config('dti.scope_user', '', false)");
        var ex = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(conn,
            $"insert into notifications (user_id, kind, title, body, created_at) values ('{Stranger}', 'Submitted', 't', 'b', now())"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        ex = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(conn,
            "insert into email_outbox (to_address, subject, body, created_at, attempts, next_attempt_at) values ('a@example.vn', 's', 'b', now(), 0, now())"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        // The system (unrestricted, no user) sees everything: the e-mail sender and the reminder job run so.
        await ScalarAsync(conn, "select set_config('dti.scope_all', 'true', false), set_config('dti.scope_units', '', false)");
        foreach (var table in tables) Assert.Equal(2L, await ScalarAsync(conn, $"select count(*) from {table}"));
    }

    [Fact]
    public async Task Context_WhenConnectionOpens_WritesTheUserIdForTheInboxPolicy()
    {
        var scope = fixture.ScopeFor(Roles.CommuneOfficer, Placement.Commune);
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
            Assert.Equal(scope.UserId, await db.Database.SqlQueryRaw<string>("select dti_scope_user() as \"Value\"").SingleAsync());
        await using (var s = fixture.Db.ScopeAs(FixedUnitScope.System))
        await using (var db = await Factory(s).CreateDbContextAsync())
            Assert.Null(await db.Database.SqlQueryRaw<string?>("select dti_scope_user() as \"Value\"").SingleAsync());
    }

    private sealed record Seeded(int RoundA, int RoundB, long MyNotification, long StrangerNotification);

    /// <summary>
    /// As the owner: empties the four tables, then one round in province A and one in B, each with a frozen cohort (3 units)
    /// and a council assignment; one notification for <paramref name="me"/> and one for <see cref="Stranger"/>; two e-mails.
    /// </summary>
    private async Task<Seeded> SeedAsync(string me)
    {
        await using var owner = fixture.Db.OwnerContext();
        foreach (var id in new[] { me, Stranger })
            if (!await owner.Users.AnyAsync(u => u.Id == id))
                owner.Users.Add(new AppUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), FullName = "Người dùng " + id, UnitId = fixture.Units["A1a"] });
        await owner.Notifications.ExecuteDeleteAsync();
        await owner.EmailOutbox.ExecuteDeleteAsync();
        await owner.ScoreSnapshots.ExecuteDeleteAsync();
        await owner.CouncilAssignments.ExecuteDeleteAsync();
        var a = UnitOwnedSamples.NewRound(fixture.Units["A"]);
        var b = UnitOwnedSamples.NewRound(fixture.Units["B"]);
        owner.AssessmentRounds.AddRange(a, b);
        await owner.SaveChangesAsync();
        owner.ScoreSnapshots.AddRange(new ScoreSnapshot(Guid.NewGuid(), a.Id, DateTimeOffset.UtcNow, 3, "{}"), new ScoreSnapshot(Guid.NewGuid(), b.Id, DateTimeOffset.UtcNow, 3, "{}"));
        owner.CouncilAssignments.AddRange(new CouncilAssignment(a.Id, "1", Stranger, "Nguyễn Văn A"), new CouncilAssignment(b.Id, "1", Stranger, "Nguyễn Văn B"));
        var mine = new Notification(me, NotificationKind.Submitted, "Của tôi", "Nội dung", null, null, DateTimeOffset.UtcNow);
        var theirs = new Notification(Stranger, NotificationKind.Returned, "Của người khác", "Nội dung", null, null, DateTimeOffset.UtcNow);
        owner.Notifications.AddRange(mine, theirs);
        owner.EmailOutbox.AddRange(new EmailMessage("toi@example.vn", null, "Thư 1", "Nội dung", DateTimeOffset.UtcNow),
            new EmailMessage("nguoi-la@example.vn", null, "Thư 2", "Nội dung", DateTimeOffset.UtcNow));
        await owner.SaveChangesAsync();
        return new Seeded(a.Id, b.Id, mine.Id, theirs.Id);
    }

    private static async Task AssertRefusedAsync(DtiDbContext db)
    {
        var ex = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
    }

    private static IDbContextFactory<DtiDbContext> Factory(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>();

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
