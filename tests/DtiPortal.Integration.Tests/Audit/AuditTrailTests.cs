using System.Text.Json;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Integration.Tests.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Audit;

/// <summary>ADR-006: the audit trail is append-only for everyone, written with every change in its transaction, never holds secrets, and is read by scope.</summary>
public class AuditTrailTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private async Task<NpgsqlConnection> OpenAsync(bool asAppRole)
    {
        var conn = new NpgsqlConnection(fixture.Db.ConnectionString);
        await conn.OpenAsync();
        if (asAppRole) await ExecAsync(conn, "set role dti_app; select set_config('dti.scope_all', 'true', false)");
        return conn;
    }

    private static async Task<object?> ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private async Task<long> SeedEntryAsync(int? unitId = null)
    {
        await using var conn = await OpenAsync(asAppRole: false);
        return (long)(await ExecAsync(conn, $"insert into audit_log (at, action, unit_id, success) values (now(), 'Seed', {unitId?.ToString() ?? "null"}, true) returning id"))!;
    }

    [Theory]
    [InlineData("update audit_log set detail = 'sửa' where id = {0}")]
    [InlineData("delete from audit_log where id = {0}")]
    [InlineData("truncate audit_log")]
    public async Task AuditLog_WhenAppRoleChangesAnEntry_IsRefused(string sql)
    {
        var id = await SeedEntryAsync();
        await using var conn = await OpenAsync(asAppRole: true);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(conn, string.Format(sql, id)));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        Assert.Contains("permission denied", ex.MessageText);
    }

    [Theory]
    [InlineData("update audit_log set detail = 'sửa' where id = {0}")]
    [InlineData("delete from audit_log where id = {0}")]
    [InlineData("truncate audit_log")]
    public async Task AuditLog_WhenOwnerChangesAnEntry_IsRefusedByTheTrigger(string sql)
    {
        var id = await SeedEntryAsync();
        await using var conn = await OpenAsync(asAppRole: false);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(conn, string.Format(sql, id)));
        Assert.Contains("append-only", ex.MessageText);
        Assert.Equal(1L, await ExecAsync(conn, $"select count(*) from audit_log where id = {id} and detail is null"));
    }

    [Fact]
    public async Task AuditLog_WhenAppRoleInsertsWithoutScope_IsAcceptedButNotReadable()
    {
        await using var conn = new NpgsqlConnection(fixture.Db.ConnectionString);
        await conn.OpenAsync();
        await ExecAsync(conn, "set role dti_app");
        await ExecAsync(conn, $"insert into audit_log (at, action, unit_id, detail, success) values (now(), 'RawInsert', {fixture.Units["B1a"]}, 'x', true)");
        Assert.Equal(0L, await ExecAsync(conn, "select count(*) from audit_log where action = 'RawInsert'")); // no scope: reads nothing
        await ExecAsync(conn, "reset role");
        Assert.Equal(1L, await ExecAsync(conn, "select count(*) from audit_log where action = 'RawInsert'"));
    }

    [Fact]
    public async Task SaveChanges_WhenContactIsCreatedChangedAndDeleted_WritesBeforeAndAfterInTheSameTransaction()
    {
        var scope = fixture.ScopeFor(Roles.CommuneOfficer, Placement.Commune);
        var unit = fixture.UnitOf(Placement.Commune);
        int id;
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync())
        {
            await db.UnitContacts.Where(c => c.UnitId == unit).ExecuteDeleteAsync();
            var contact = new UnitContact(unit, UnitContactRole.ApprovingLeader, "Lê Văn Minh", "UBND xã", "Chủ tịch", "0900 000 001", null);
            db.Add(contact);
            await db.SaveChangesAsync();
            id = contact.Id;
            contact.Update("Lê Văn Minh", "UBND xã", "Phó Chủ tịch", "0900 000 001", "minh@example.vn");
            await db.SaveChangesAsync();
            db.Remove(contact);
            await db.SaveChangesAsync();
        }

        await using var owner = fixture.Db.OwnerContext();
        var entries = await owner.AuditLog.Where(e => e.EntityType == nameof(UnitContact) && e.EntityId == id.ToString()).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["Create", "Update", "Delete"], entries.Select(e => e.Action));
        Assert.All(entries, e =>
        {
            Assert.Equal(unit, e.UnitId);
            Assert.Equal(scope.UserId, e.UserId);
            Assert.Equal(scope.UserName, e.UserName);
            Assert.Equal("127.0.0.1", e.Origin);
            Assert.True(e.Success);
        });
        var created = Json(entries[0].After);
        Assert.Null(entries[0].Before);
        Assert.Equal("Lê Văn Minh", created.GetProperty("FullName").GetString());
        Assert.Equal("ApprovingLeader", created.GetProperty("Role").GetString());
        Assert.Equal(id, created.GetProperty("Id").GetInt32()); // the generated key is known to the entry
        Assert.False(created.TryGetProperty("Version", out _)); // the row version is noise

        var before = Json(entries[1].Before);
        var after = Json(entries[1].After);
        Assert.Equal("Chủ tịch", before.GetProperty("Position").GetString());
        Assert.Equal("Phó Chủ tịch", after.GetProperty("Position").GetString());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("Email").ValueKind);
        Assert.Equal("minh@example.vn", after.GetProperty("Email").GetString());
        Assert.False(before.TryGetProperty("FullName", out _)); // unchanged properties are left out

        Assert.Equal("Phó Chủ tịch", Json(entries[2].Before).GetProperty("Position").GetString());
        Assert.Null(entries[2].After);
    }

    [Fact]
    public async Task SaveChanges_WhenTheChangeIsRefused_WritesNoEntry()
    {
        var scope = fixture.ScopeFor(Roles.CommuneOfficer, Placement.Commune);
        await using var s = fixture.Db.ScopeAs(scope);
        await using var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();
        db.Add(new UnitContact(fixture.Units["B1a"], UnitContactRole.DataProvider, "Người ngoài", null, null, null, null));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());

        await using var owner = fixture.Db.OwnerContext();
        Assert.False(await owner.AuditLog.AnyAsync(e => e.EntityType == nameof(UnitContact) && e.UnitId == fixture.Units["B1a"] && e.UserId == scope.UserId));
    }

    [Fact]
    public async Task UserManager_WhenUserIsCreatedAndGivenARole_AuditsBothWithSecretsRedacted()
    {
        var admin = fixture.ScopeFor(Roles.ProvincialAdmin, Placement.Province);
        const string password = "MatKhau-Rat-Dai-2025";
        AppUser user;
        await using (var s = fixture.Db.ScopeAs(admin))
        {
            var roles = s.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(Roles.CommuneOfficer)) await roles.CreateAsync(new IdentityRole(Roles.CommuneOfficer));
            var users = s.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            user = new AppUser { UserName = "audit.user." + Guid.NewGuid().ToString("N")[..6], FullName = "Ngô Thị Thu", UnitId = fixture.Units["A1b"], CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.CommuneOfficer)).Succeeded);
            Assert.True((await users.ChangePasswordAsync(user, password, password + "x")).Succeeded);
        }

        await using var owner = fixture.Db.OwnerContext();
        var entries = await owner.AuditLog.AsNoTracking().Where(e => e.EntityId != null && e.EntityId.StartsWith(user.Id)).OrderBy(e => e.Id).ToListAsync();
        var created = entries.First(e => e.EntityType == nameof(AppUser) && e.Action == "Create");
        Assert.Equal(fixture.Units["A1b"], created.UnitId);
        Assert.Equal(AuditSaveChangesInterceptor.Redacted, Json(created.After).GetProperty("PasswordHash").GetString());
        Assert.Equal(AuditSaveChangesInterceptor.Redacted, Json(created.After).GetProperty("SecurityStamp").GetString());
        Assert.Equal("Ngô Thị Thu", Json(created.After).GetProperty("FullName").GetString());

        var role = Assert.Single(entries, e => e.EntityType == "UserRole");
        Assert.Equal("Create", role.Action);
        Assert.Equal(fixture.Units["A1b"], role.UnitId); // a membership belongs to its user's unit
        Assert.Equal(admin.UserName, role.UserName);

        var passwordChange = entries.Last(e => e.EntityType == nameof(AppUser) && e.Action == "Update");
        Assert.Equal(AuditSaveChangesInterceptor.Redacted, Json(passwordChange.Before).GetProperty("PasswordHash").GetString());
        Assert.Equal(AuditSaveChangesInterceptor.Redacted, Json(passwordChange.After).GetProperty("PasswordHash").GetString());

        var hash = await owner.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync();
        var stamp = await owner.Users.Where(u => u.Id == user.Id).Select(u => u.SecurityStamp).SingleAsync();
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain(hash!, (e.Before ?? "") + (e.After ?? ""));
            Assert.DoesNotContain(stamp!, (e.Before ?? "") + (e.After ?? ""));
        });
    }

    [Fact]
    public async Task AuditLog_WriteAsync_RecordsTheScopesUserAndOrigin()
    {
        var scope = fixture.ScopeFor(Roles.DistrictReviewer, Placement.District);
        await using (var s = fixture.Db.ScopeAs(scope))
            await s.ServiceProvider.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditEvent("Export", UnitId: fixture.Units["B1a"], Detail: "Xuất báo cáo đơn vị khác"));

        await using var owner = fixture.Db.OwnerContext();
        var e = await owner.AuditLog.SingleAsync(x => x.Action == "Export" && x.UserId == scope.UserId);
        Assert.Equal(scope.UserName, e.UserName);
        Assert.Equal("127.0.0.1", e.Origin);
        Assert.Equal(fixture.Units["B1a"], e.UnitId); // written although the writer may not read it
        Assert.Equal(TimeSpan.Zero, e.At.Offset);
        Assert.True(DateTimeOffset.UtcNow - e.At < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task AuditQueries_Search_WhenProvincialAdmin_SeesOnlyEntriesOfUnitsInScopeNewestFirst()
    {
        var system = FixedUnitScope.System;
        await using (var s = fixture.Db.ScopeAs(system))
        {
            var log = s.ServiceProvider.GetRequiredService<IAuditLog>();
            foreach (var code in new[] { "A1a", "A2a", "B1a", "A" })
                await log.WriteAsync(new AuditEvent("QueryTest", EntityType: "Thing", UnitId: fixture.Units[code], Detail: code));
            await log.WriteAsync(new AuditEvent("QueryTest", Detail: "no unit"));
        }

        var admin = fixture.ScopeFor(Roles.ProvincialAdmin, Placement.Province);
        await using (var s = fixture.Db.ScopeAs(admin))
        {
            var queries = s.ServiceProvider.GetRequiredService<AuditQueries>();
            var page = await queries.SearchAsync(new AuditFilter(Action: "QueryTest"));
            Assert.Equal(["A", "A2a", "A1a"], page.Items.Select(i => i.Detail)); // newest first, B and "no unit" hidden
            Assert.Equal(3, page.Total);
            Assert.Equal("Đơn vị A", page.Items[0].UnitName);

            var paged = await queries.SearchAsync(new AuditFilter(Action: "QueryTest", Page: 2, PageSize: 2));
            Assert.Equal(["A1a"], paged.Items.Select(i => i.Detail));
            Assert.Equal(2, paged.PageCount);

            var byUnit = await queries.SearchAsync(new AuditFilter(Action: "QueryTest", UnitId: fixture.Units["A2a"], EntityType: "Thing"));
            Assert.Equal(["A2a"], byUnit.Items.Select(i => i.Detail));
            var byUser = await queries.SearchAsync(new AuditFilter(Action: "QueryTest", User: "system"));
            Assert.Equal(3, byUser.Total);
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
            Assert.Equal(3, (await queries.SearchAsync(new AuditFilter(From: today, To: today, Action: "QueryTest"))).Total);
            Assert.Equal(0, (await queries.SearchAsync(new AuditFilter(To: today.AddDays(-1), Action: "QueryTest"))).Total);

            // Asking for a unit outside the scope is refused (and itself audited).
            await Assert.ThrowsAsync<AccessDeniedException>(() => queries.SearchAsync(new AuditFilter(UnitId: fixture.Units["B1a"])));
        }

        // A system administrator reads everything, entries about no unit included.
        await using (var s = fixture.Db.ScopeAs(fixture.ScopeFor(Roles.SystemAdmin, Placement.Commune)))
        {
            var page = await s.ServiceProvider.GetRequiredService<AuditQueries>().SearchAsync(new AuditFilter(Action: "QueryTest"));
            Assert.Equal(5, page.Total);
        }

        // A commune officer is not an administrator.
        await using (var s = fixture.Db.ScopeAs(fixture.ScopeFor(Roles.CommuneOfficer, Placement.Commune)))
            await Assert.ThrowsAsync<AccessDeniedException>(() => s.ServiceProvider.GetRequiredService<AuditQueries>().SearchAsync(new AuditFilter()));
    }

    private static JsonElement Json(string? json) => JsonDocument.Parse(json ?? throw new InvalidOperationException("no JSON")).RootElement;
}
