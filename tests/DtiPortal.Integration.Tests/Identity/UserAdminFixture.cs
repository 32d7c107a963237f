using DtiPortal.Application;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Integration.Tests.Identity;

/// <summary>Who the use cases run as: set on a fresh DI scope before anything resolves <see cref="IUnitScope"/>.</summary>
public sealed class ActingScope
{
    public IUnitScope Current { get; set; } = FixedUnitScope.Nobody;
}

/// <summary>
/// One migrated database for the user-administration tests: two provinces (Hưng Yên with a district and a commune;
/// Hà Nội with a commune), a system admin and a provincial admin of Hưng Yên, created through the use cases themselves.
/// The services are the application's, with an <see cref="IUnitScope"/> chosen per test scope.
/// </summary>
public sealed class UserAdminFixture : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    public ServiceProvider Services { get; private set; } = default!;
    public Dictionary<string, int> Units { get; } = [];
    public string SystemAdminId { get; private set; } = "";
    public string HungYenAdminId { get; private set; } = "";

    /// <summary>The trusted set-up: unrestricted, with the system admin role, no user.</summary>
    public static IUnitScope Setup { get; } = new FixedUnitScope(null, "test-setup", true, new HashSet<int>(), new HashSet<string> { Roles.SystemAdmin });

    public IUnitScope SystemAdmin => new FixedUnitScope(SystemAdminId, "sysadmin", true, new HashSet<int>(), new HashSet<string> { Roles.SystemAdmin }, "127.0.0.1");
    public IUnitScope HungYenAdmin => new FixedUnitScope(HungYenAdminId, "qt.hungyen", false,
        new HashSet<int> { Units["33"], Units["33-VL"], Units["33-LD"] }, new HashSet<string> { Roles.ProvincialAdmin }, "127.0.0.1");
    public IUnitScope CommuneOfficer => new FixedUnitScope("not-an-admin", "canbo", false,
        new HashSet<int> { Units["33-LD"] }, new HashSet<string> { Roles.CommuneOfficer });

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddScoped<ActingScope>();
        services.AddScoped<IUnitScope>(sp => sp.GetRequiredService<ActingScope>().Current); // before AddDtiApplication's TryAdd
        services.AddDtiApplication(_db.ConnectionString);
        Services = services.BuildServiceProvider();

        using (var scope = As(Setup))
        {
            var csv = "Mã,Tên,Loại,Mã đơn vị cấp trên\n33,Hưng Yên,Tỉnh,\n33-VL,Văn Lâm,Huyện,33\n33-LD,Lạc Đạo,Xã,33-VL\n01,Hà Nội,Thành phố,\n01-BD,Ba Đình,Phường,01\n";
            var result = await scope.ServiceProvider.GetRequiredService<ImportUnits>()
                .ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "don-vi.csv");
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        }
        await using (var conn = await OpenAsync())
        await using (var cmd = new NpgsqlCommand("select code, id from units", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) Units[reader.GetString(0)] = reader.GetInt32(1);

        SystemAdminId = await CreateAsync(Setup, "sysadmin", "Quản trị hệ thống", "01", Roles.SystemAdmin);
        HungYenAdminId = await CreateAsync(Setup, "qt.hungyen", "Quản trị Hưng Yên", "33", Roles.ProvincialAdmin);
    }

    /// <summary>A DI scope acting as the given user.</summary>
    public IServiceScope As(IUnitScope acting)
    {
        var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActingScope>().Current = acting;
        return scope;
    }

    public T Get<T>(IUnitScope acting) where T : notnull => As(acting).ServiceProvider.GetRequiredService<T>();

    /// <summary>Creates an account through the use case and returns its id (fails the test on any error).</summary>
    public async Task<string> CreateAsync(IUnitScope acting, string userName, string fullName, string unitCode, params string[] roles)
    {
        var result = await Get<CreateUser>(acting).HandleAsync(new CreateUserRequest
        {
            UserName = userName, FullName = fullName, UnitCode = unitCode, Roles = [.. roles],
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Field + ": " + e.Message)));
        return result.UserId!;
    }

    /// <summary>A fresh UserManager (its own context) to check what is stored.</summary>
    public UserManager<AppUser> Users() => Get<UserManager<AppUser>>(Setup);

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<long> CountUsersAsync()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from \"AspNetUsers\"", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public sealed record AuditRow(long Id, string Action, string? UserId, string? EntityId, int? UnitId, string? Before, string? After, string? Detail, bool Success);

    /// <summary>Audit entries after the given id, read as the owner (row-level security does not hide them).</summary>
    public async Task<List<AuditRow>> AuditSinceAsync(long afterId)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select id, action, user_id, entity_id, unit_id, before::text, after::text, detail, success from audit_log where id > @id order by id", conn);
        cmd.Parameters.AddWithValue("id", afterId);
        var rows = new List<AuditRow>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add(new AuditRow(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetBoolean(8)));
        return rows;
    }

    public async Task<long> LastAuditIdAsync()
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand("select coalesce(max(id), 0) from audit_log", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await _db.DisposeAsync();
    }
}
