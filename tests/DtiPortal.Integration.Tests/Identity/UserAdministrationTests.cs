using System.Text;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DtiPortal.Integration.Tests.Identity;

/// <summary>Issue 3 §1: admins create, import, reset, disable accounts and change roles, within their scope, audited.</summary>
public class UserAdministrationTests(UserAdminFixture f) : IClassFixture<UserAdminFixture>
{
    private const string Header = "Tên đăng nhập,Họ tên,Email,Mã đơn vị,Phòng/ban,Vai trò";

    // ---- create ----

    [Fact]
    public async Task CreateUser_WhenValid_ReturnsTemporaryPasswordThatSignsIn()
    {
        var result = await f.Get<CreateUser>(f.HungYenAdmin).HandleAsync(new CreateUserRequest
        {
            UserName = "nguyenvana.ld", FullName = "Nguyễn Văn A", Email = "a@hungyen.gov.vn", UnitId = f.Units["33-LD"],
            Department = "Văn phòng - Thống kê", Roles = [Roles.CommuneOfficer],
        });

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var users = f.Users();
        var user = await users.FindByIdAsync(result.UserId!);
        Assert.NotNull(user);
        Assert.Equal("Nguyễn Văn A", user.FullName);
        Assert.Equal(f.Units["33-LD"], user.UnitId);
        Assert.Equal("Văn phòng - Thống kê", user.Department);
        Assert.True(await users.CheckPasswordAsync(user, result.TemporaryPassword!));
        Assert.Equal([Roles.CommuneOfficer], await users.GetRolesAsync(user));
        Assert.Contains(await users.GetClaimsAsync(user), c => c.Type == AccountClaims.MustChangePassword);
    }

    [Fact]
    public async Task CreateUser_WhenFieldsAreInvalid_ReturnsVietnameseMessagePerField()
    {
        var before = await f.CountUsersAsync();
        var result = await f.Get<CreateUser>(f.HungYenAdmin).HandleAsync(new CreateUserRequest
        {
            UserName = "Nguyễn A", FullName = " ", Email = "khong-phai-email", Roles = [],
        });

        Assert.False(result.Succeeded);
        var byField = result.Errors.ToDictionary(e => e.Field, e => e.Message);
        Assert.Contains("chỉ dùng chữ không dấu", byField[nameof(CreateUserRequest.UserName)]);
        Assert.Equal("Họ tên đang để trống.", byField[nameof(CreateUserRequest.FullName)]);
        Assert.Contains("không hợp lệ", byField[nameof(CreateUserRequest.Email)]);
        Assert.Equal("Chọn đơn vị của người dùng.", byField[nameof(CreateUserRequest.UnitId)]);
        Assert.Equal("Chọn ít nhất một vai trò.", byField[nameof(CreateUserRequest.Roles)]);
        Assert.Equal(before, await f.CountUsersAsync());
    }

    [Fact]
    public async Task CreateUser_WhenUserNameIsTaken_SaysSoOnTheField()
    {
        await f.CreateAsync(f.HungYenAdmin, "trung.ten", "Người thứ nhất", "33-LD", Roles.CommuneOfficer);
        var result = await f.Get<CreateUser>(f.HungYenAdmin).HandleAsync(new CreateUserRequest
        {
            UserName = "TRUNG.TEN", FullName = "Người thứ hai", UnitCode = "33-LD", Roles = [Roles.CommuneOfficer],
        });
        var e = Assert.Single(result.Errors);
        Assert.Equal(nameof(CreateUserRequest.UserName), e.Field);
        Assert.Contains("đã được dùng", e.Message);
    }

    [Fact]
    public async Task TemporaryPassword_AlwaysSatisfiesThePasswordPolicy()
    {
        using var scope = f.As(UserAdminFixture.Setup);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value.Password;
        var validator = new PasswordValidator<AppUser>(new VietnameseIdentityErrors());
        for (var i = 0; i < 200; i++)
        {
            var password = TemporaryPassword.Generate(options);
            var result = await validator.ValidateAsync(users, new AppUser(), password);
            Assert.True(result.Succeeded, password + ": " + string.Join(" ", result.Errors.Select(e => e.Description)));
            Assert.DoesNotContain(password, c => "0O1lI".Contains(c));
        }
    }

    // ---- permissions ----

    [Fact]
    public async Task CreateUser_WhenProvincialAdminTargetsAnotherProvince_IsDeniedAndAudited()
    {
        var last = await f.LastAuditIdAsync();
        var before = await f.CountUsersAsync();
        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<CreateUser>(f.HungYenAdmin).HandleAsync(new CreateUserRequest
        {
            UserName = "hn.ngoai.pham.vi", FullName = "Người Hà Nội", UnitCode = "01-BD", Roles = [Roles.CommuneOfficer],
        }));
        Assert.Contains("ngoài phạm vi", ex.Message);
        Assert.Equal(before, await f.CountUsersAsync());
        var denied = Assert.Single(await f.AuditSinceAsync(last), a => a.Action == "AccessDenied");
        Assert.False(denied.Success);
        Assert.Equal(f.HungYenAdminId, denied.UserId);
        Assert.Equal(f.Units["01-BD"], denied.UnitId);
    }

    [Theory]
    [InlineData(Roles.SystemAdmin, "33-LD")]
    [InlineData(Roles.ProvincialAdmin, "33")]
    public async Task CreateUser_WhenProvincialAdminGrantsAnAdminRoleTheyMayNot_IsDeniedAndAudited(string role, string unit)
    {
        var last = await f.LastAuditIdAsync();
        var before = await f.CountUsersAsync();
        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<CreateUser>(f.HungYenAdmin).HandleAsync(new CreateUserRequest
        {
            UserName = "leo.quyen." + role.ToLowerInvariant(), FullName = "Leo quyền", UnitCode = unit, Roles = [role],
        }));
        Assert.Contains("Chỉ quản trị hệ thống", ex.Message);
        Assert.Equal(before, await f.CountUsersAsync());
        Assert.Contains(await f.AuditSinceAsync(last), a => a.Action == "AccessDenied" && a.Detail!.Contains(CreateUser.Action));
    }

    [Fact]
    public async Task CreateUser_WhenProvincialAdminDelegatesToADistrict_IsAllowed_AndSystemAdminMayGrantAtProvinceLevel()
    {
        await f.CreateAsync(f.HungYenAdmin, "qt.vanlam", "Quản trị Văn Lâm", "33-VL", Roles.ProvincialAdmin);
        await f.CreateAsync(f.SystemAdmin, "qt.hungyen2", "Quản trị Hưng Yên 2", "33", Roles.ProvincialAdmin);
    }

    [Fact]
    public async Task UseCases_WhenCallerIsNotAnAdmin_AreDenied()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<UserQueries>(f.CommuneOfficer).ListAsync(new UserFilter()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<ImportUsers>(f.CommuneOfficer)
            .ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + "\n")), "nguoi-dung.csv"));
    }

    [Fact]
    public async Task ResetDisableAndRoles_WhenProvincialAdminTargetsAnotherProvince_AreDeniedAndAudited()
    {
        var hanoiUser = await f.CreateAsync(f.SystemAdmin, "canbo.badinh", "Cán bộ Ba Đình", "01-BD", Roles.CommuneOfficer);
        var stamp = (await f.Users().FindByIdAsync(hanoiUser))!.SecurityStamp;
        var last = await f.LastAuditIdAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<ResetPassword>(f.HungYenAdmin).HandleAsync(hanoiUser));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<SetDisabled>(f.HungYenAdmin).HandleAsync(hanoiUser, true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<SetRoles>(f.HungYenAdmin).HandleAsync(hanoiUser, [Roles.DistrictReviewer]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<UserQueries>(f.HungYenAdmin).GetAsync(hanoiUser));

        var after = await f.Users().FindByIdAsync(hanoiUser);
        Assert.False(after!.IsDisabled);
        Assert.Equal(stamp, after.SecurityStamp);
        Assert.Equal(4, (await f.AuditSinceAsync(last)).Count(a => a.Action == "AccessDenied" && a.UnitId == f.Units["01-BD"]));
    }

    [Fact]
    public async Task ProvincialAdmin_CannotManageASystemAdminOrAPeerAdmin()
    {
        var peer = await f.CreateAsync(f.SystemAdmin, "qt.hungyen.ban", "Quản trị Hưng Yên (bạn)", "33", Roles.ProvincialAdmin);
        var sys = await f.CreateAsync(f.SystemAdmin, "sys.hungyen", "Quản trị hệ thống ở Hưng Yên", "33-VL", Roles.SystemAdmin);
        var last = await f.LastAuditIdAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<ResetPassword>(f.HungYenAdmin).HandleAsync(peer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<SetDisabled>(f.HungYenAdmin).HandleAsync(sys, true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Get<SetRoles>(f.HungYenAdmin).HandleAsync(sys, [Roles.CommuneOfficer]));
        Assert.Equal(3, (await f.AuditSinceAsync(last)).Count(a => a.Action == "AccessDenied"));
        var details = await f.Get<UserQueries>(f.HungYenAdmin).GetAsync(peer);
        Assert.False(details!.CanManage);
    }

    // ---- reset, disable, roles ----

    [Fact]
    public async Task ResetPassword_WhenLockedOut_GivesNewPasswordUnlocksAndChangesStamp()
    {
        var id = await f.CreateAsync(f.HungYenAdmin, "bi.khoa", "Người bị khóa", "33-LD", Roles.CommuneOfficer);
        var users = f.Users();
        var user = (await users.FindByIdAsync(id))!;
        for (var i = 0; i < IdentitySettings.MaxFailedAttempts; i++) await users.AccessFailedAsync(user);
        Assert.True(await users.IsLockedOutAsync(user));
        var stamp = user.SecurityStamp;
        var last = await f.LastAuditIdAsync();

        var password = await f.Get<ResetPassword>(f.HungYenAdmin).HandleAsync(id);

        var fresh = f.Users();
        var after = (await fresh.FindByIdAsync(id))!;
        Assert.False(await fresh.IsLockedOutAsync(after));
        Assert.Equal(0, after.AccessFailedCount);
        Assert.True(await fresh.CheckPasswordAsync(after, password));
        Assert.NotEqual(stamp, after.SecurityStamp);
        Assert.Contains(await f.AuditSinceAsync(last), a => a.Action == "PasswordReset" && a.EntityId == id);
    }

    [Fact]
    public async Task SetDisabled_ChangesFlagAndSecurityStamp_AndCanBeUndone()
    {
        var id = await f.CreateAsync(f.HungYenAdmin, "se.bi.khoa", "Sẽ bị khóa", "33-LD", Roles.CommuneOfficer);
        var stamp = (await f.Users().FindByIdAsync(id))!.SecurityStamp;
        var last = await f.LastAuditIdAsync();

        await f.Get<SetDisabled>(f.HungYenAdmin).HandleAsync(id, true);
        var disabled = (await f.Users().FindByIdAsync(id))!;
        Assert.True(disabled.IsDisabled);
        Assert.NotEqual(stamp, disabled.SecurityStamp);
        Assert.True((await f.Get<UserQueries>(f.HungYenAdmin).GetAsync(id))!.User.IsDisabled);

        await f.Get<SetDisabled>(f.HungYenAdmin).HandleAsync(id, false);
        var enabled = (await f.Users().FindByIdAsync(id))!;
        Assert.False(enabled.IsDisabled);
        Assert.NotEqual(disabled.SecurityStamp, enabled.SecurityStamp);
        var audit = await f.AuditSinceAsync(last);
        Assert.Contains(audit, a => a.Action == "UserDisabled" && a.EntityId == id);
        Assert.Contains(audit, a => a.Action == "UserEnabled" && a.EntityId == id);
    }

    [Fact]
    public async Task SetDisabled_WhenAdminDisablesThemselves_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<UserAdminException>(() => f.Get<SetDisabled>(f.HungYenAdmin).HandleAsync(f.HungYenAdminId, true));
        Assert.Contains("chính mình", ex.Message);
        Assert.False((await f.Users().FindByIdAsync(f.HungYenAdminId))!.IsDisabled);
    }

    [Fact]
    public async Task SetRoles_WritesRoleAddedAndRemovedWithBeforeAndAfter_AndChangesStamp()
    {
        var id = await f.CreateAsync(f.HungYenAdmin, "doi.vai.tro", "Đổi vai trò", "33-VL", Roles.CommuneOfficer);
        var stamp = (await f.Users().FindByIdAsync(id))!.SecurityStamp;
        var last = await f.LastAuditIdAsync();

        var after = await f.Get<SetRoles>(f.HungYenAdmin).HandleAsync(id, [Roles.DistrictReviewer, Roles.CouncilMember]);

        Assert.Equal([Roles.DistrictReviewer, Roles.CouncilMember], after);
        var users = f.Users();
        var user = (await users.FindByIdAsync(id))!;
        Assert.Equal([Roles.CouncilMember, Roles.DistrictReviewer], (await users.GetRolesAsync(user)).Order());
        Assert.NotEqual(stamp, user.SecurityStamp);
        var audit = await f.AuditSinceAsync(last);
        var added = audit.Where(a => a.Action == "RoleAdded" && a.EntityId == id).ToList();
        var removed = Assert.Single(audit, a => a.Action == "RoleRemoved" && a.EntityId == id);
        Assert.Equal(2, added.Count);
        Assert.Contains(Roles.CommuneOfficer, removed.Before);
        Assert.DoesNotContain(Roles.CommuneOfficer, removed.After);
        Assert.Contains(Roles.CouncilMember, removed.After);
        Assert.All(added.Append(removed), a => Assert.Equal(f.HungYenAdminId, a.UserId));
    }

    [Fact]
    public async Task SetRoles_WhenAdminRemovesTheirOwnAdminRole_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            f.Get<SetRoles>(f.HungYenAdmin).HandleAsync(f.HungYenAdminId, [Roles.CommuneOfficer]));
        Assert.Contains("Chỉ quản trị hệ thống", ex.Message); // a provincial admin at province level is the system admin's to change
        var own = await Assert.ThrowsAsync<UserAdminException>(() =>
            f.Get<SetRoles>(f.SystemAdmin).HandleAsync(f.SystemAdminId, [Roles.CommuneOfficer]));
        Assert.Contains("chính mình", own.Message);
    }

    // ---- list ----

    [Fact]
    public async Task ListUsers_ShowsOnlyTheScope_AndFiltersByAccentFreeTextUnitAndRole()
    {
        await f.CreateAsync(f.HungYenAdmin, "tran.thi.hoa", "Trần Thị Hoa", "33-LD", Roles.CommuneOfficer);
        await f.CreateAsync(f.HungYenAdmin, "le.van.hoa", "Lê Văn Hòa", "33-VL", Roles.DistrictReviewer);
        await f.CreateAsync(f.SystemAdmin, "hoa.hanoi", "Phạm Hoa", "01-BD", Roles.CommuneOfficer);
        var queries = f.Get<UserQueries>(f.HungYenAdmin);

        var all = await queries.ListAsync(new UserFilter(PageSize: 200));
        Assert.DoesNotContain(all.Items, u => u.UnitCode.StartsWith("01"));
        Assert.Contains(all.Items, u => u.UserName == "qt.hungyen" && u.Roles.SequenceEqual([Roles.ProvincialAdmin]) && u.UnitName == "Hưng Yên");

        var hoa = await queries.ListAsync(new UserFilter("hoa"));
        Assert.Equal(["le.van.hoa", "tran.thi.hoa"], hoa.Items.Select(u => u.UserName).Order());

        var inVanLam = await queries.ListAsync(new UserFilter("hoa", UnitId: f.Units["33-VL"]));
        Assert.Equal(2, inVanLam.Total); // the district and the commune below it
        var inCommune = await queries.ListAsync(new UserFilter("HÒA", UnitId: f.Units["33-LD"]));
        Assert.Equal("tran.thi.hoa", Assert.Single(inCommune.Items).UserName);

        var reviewers = await queries.ListAsync(new UserFilter("hoa", Role: Roles.DistrictReviewer));
        Assert.Equal("le.van.hoa", Assert.Single(reviewers.Items).UserName);

        var paged = await queries.ListAsync(new UserFilter(PageSize: 1, Page: 1));
        Assert.Single(paged.Items);
        Assert.Equal(all.Total, paged.Total);

        var everyone = await f.Get<UserQueries>(f.SystemAdmin).ListAsync(new UserFilter("hoa"));
        Assert.Equal(3, everyone.Total);
    }

    [Fact]
    public async Task UnitOptions_AreThoseInScope()
    {
        var options = await f.Get<UserQueries>(f.HungYenAdmin).UnitOptionsAsync();
        Assert.Equal(["33", "33-LD", "33-VL"], options.Select(o => o.Code).Order());
    }

    // ---- import ----

    [Fact]
    public async Task ImportXlsx_WhenValid_CreatesEveryAccountWithARoleSpelledAnyWay()
    {
        var before = await f.CountUsersAsync();
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, Header.Split(','),
        [
            ["x.nguyenvana", "Nguyễn Văn A", "a@hy.gov.vn", "33-LD", "Văn phòng - Thống kê", "Cán bộ cấp xã"],
            ["x.tranthib", "Trần Thị B", "", "33-VL", "Phòng Văn hóa và Thông tin", "DistrictReviewer; thanh vien hoi dong tham dinh"],
            ["x.levanc", "Lê Văn C", "", "33-vl", "", "can bo phong ban"],
        ]);
        stream.Position = 0;

        var result = await f.Get<ImportUsers>(f.HungYenAdmin).ImportAsync(stream, "nguoi-dung.xlsx");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(before + 3, await f.CountUsersAsync());
        Assert.Equal([2, 3, 4], result.Created.Select(c => c.Row));
        var users = f.Users();
        foreach (var created in result.Created)
        {
            var user = (await users.FindByNameAsync(created.UserName))!;
            Assert.True(await users.CheckPasswordAsync(user, created.TemporaryPassword), created.UserName);
        }
        var b = (await users.FindByNameAsync("x.tranthib"))!;
        Assert.Equal([Roles.CouncilMember, Roles.DistrictReviewer], (await users.GetRolesAsync(b)).Order());
        Assert.Equal("Phòng Văn hóa và Thông tin", b.Department);
        Assert.Equal(f.Units["33-VL"], (await users.FindByNameAsync("x.levanc"))!.UnitId);

        var csv = Encoding.UTF8.GetString(ImportUsers.AccountsCsv(result.Created));
        Assert.Contains(result.Created[0].TemporaryPassword, csv);
    }

    [Fact]
    public async Task ImportCsv_WhenValid_CreatesAccounts()
    {
        var before = await f.CountUsersAsync();
        var result = await ImportCsvAsync(f.HungYenAdmin, Header + "\ncsv.mot,Một Người,,33-LD,,\"CommuneOfficer;DepartmentOfficer\"\ncsv.hai,Hai Người,,33-LD,,Cán bộ cấp xã\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(before + 2, await f.CountUsersAsync());
        Assert.Equal(["csv.hai", "csv.mot"], result.Created.Select(c => c.UserName).Order());
    }

    public static TheoryData<string, string, int, string> BadRows => new()
    {
        { "unknown unit", "bad.u1,Người A,,ZZ-99,,Cán bộ cấp xã", 3, "Không tìm thấy đơn vị có mã 'ZZ-99'" },
        { "unit out of scope", "bad.u2,Người B,,01-BD,,Cán bộ cấp xã", 3, "Đơn vị '01-BD' (Ba Đình) nằm ngoài phạm vi quản lý của bạn" },
        { "duplicate in file", "bad.u3,Người C,,33-LD,,Cán bộ cấp xã\nBAD.U3,Người C2,,33-LD,,Cán bộ cấp xã", 4, "Tên đăng nhập 'BAD.U3' bị trùng với dòng 3" },
        { "duplicate in database", "qt.hungyen,Người D,,33-LD,,Cán bộ cấp xã", 3, "Tên đăng nhập 'qt.hungyen' đã có trong hệ thống" },
        { "bad role", "bad.u5,Người E,,33-LD,,Trưởng thôn", 3, "Vai trò 'Trưởng thôn' không hợp lệ" },
        { "role not grantable", "bad.u6,Người F,,33-LD,,Quản trị hệ thống", 3, "Không được cấp vai trò Quản trị hệ thống tại Lạc Đạo" },
        { "admin at province level", "bad.u7,Người G,,33,,ProvincialAdmin", 3, "Không được cấp vai trò Quản trị cấp tỉnh tại Hưng Yên" },
        { "empty name", "bad.u8,,,33-LD,,Cán bộ cấp xã", 3, "Họ tên đang để trống" },
        { "no role", "bad.u9,Người H,,33-LD,,", 3, "Chọn ít nhất một vai trò" },
        { "bad user name", "người dùng,Người I,,33-LD,,Cán bộ cấp xã", 3, "chỉ dùng chữ không dấu" },
        { "missing unit", "bad.u10,Người K,,,,Cán bộ cấp xã", 3, "Thiếu mã đơn vị" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task ImportCsv_WhenARowIsBad_NamesTheRowAndCreatesNothing(string why, string rows, int row, string message)
    {
        var before = await f.CountUsersAsync();
        // A valid row first: it must not be created either.
        var result = await ImportCsvAsync(f.HungYenAdmin, Header + "\nok.first." + row + why.Length + ",Người Hợp Lệ,,33-LD,,Cán bộ cấp xã\n" + rows + "\n");
        Assert.False(result.Succeeded, why);
        Assert.Empty(result.Created);
        Assert.Contains(result.Errors, e => e.Row == row && e.Message.Contains(message));
        Assert.All(result.Errors, e => Assert.StartsWith("Dòng " + e.Row + ": ", e.ToString()));
        Assert.Equal(before, await f.CountUsersAsync());
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task ImportXlsx_WhenARowIsBad_NamesTheRowAndCreatesNothing(string why, string rows, int row, string message)
    {
        var before = await f.CountUsersAsync();
        using var stream = new MemoryStream();
        var lines = rows.Split('\n').Select(l => (IReadOnlyList<string>)l.Split(',')).ToList();
        lines.Insert(0, ["ok.x." + row + why.Length, "Người Hợp Lệ", "", "33-LD", "", "Cán bộ cấp xã"]);
        TableFile.WriteXlsx(stream, Header.Split(','), lines);
        stream.Position = 0;
        var result = await f.Get<ImportUsers>(f.HungYenAdmin).ImportAsync(stream, "nguoi-dung.xlsx");
        Assert.False(result.Succeeded, why);
        Assert.Contains(result.Errors, e => e.Row == row && e.Message.Contains(message));
        Assert.Equal(before, await f.CountUsersAsync());
    }

    [Fact]
    public async Task Import_WhenFileOrHeaderIsWrong_SaysWhatAndCreatesNothing()
    {
        var before = await f.CountUsersAsync();
        var missing = await ImportCsvAsync(f.HungYenAdmin, "Tên đăng nhập,Họ tên\nabc,Người\n");
        Assert.Contains("'Mã đơn vị', 'Vai trò'", Assert.Single(missing.Errors).Message);
        var notSpreadsheet = await f.Get<ImportUsers>(f.HungYenAdmin).ImportAsync(new MemoryStream("MZ"u8.ToArray()), "nguoi-dung.xlsx");
        Assert.Contains("Không đọc được tệp", Assert.Single(notSpreadsheet.Errors).Message);
        var empty = await ImportCsvAsync(f.HungYenAdmin, Header + "\n");
        Assert.Contains("không có dòng dữ liệu", Assert.Single(empty.Errors).Message);
        Assert.Equal(before, await f.CountUsersAsync());
    }

    [Fact]
    public async Task Import_WhenTheDatabaseRefusesARowHalfway_RollsBackTheAccountsAlreadyCreated()
    {
        // Every row passes validation; the database then refuses the third insert (a trigger stands for anything that can
        // fail at that point: a concurrent admin taking the name, a lost connection). The first two must be rolled back.
        await using (var conn = await f.OpenAsync())
        await using (var cmd = new NpgsqlCommand("""
            create or replace function test_refuse_boom() returns trigger language plpgsql as
            $$ begin if new."UserName" = 'tx.boom' then raise exception 'refused by test trigger'; end if; return new; end $$;
            drop trigger if exists test_refuse_boom on "AspNetUsers";
            create trigger test_refuse_boom before insert on "AspNetUsers" for each row execute function test_refuse_boom();
            """, conn))
            await cmd.ExecuteNonQueryAsync();
        try
        {
            var before = await f.CountUsersAsync();
            var result = await ImportCsvAsync(f.HungYenAdmin, Header + "\ntx.one,Một,,33-LD,,Cán bộ cấp xã\ntx.two,Hai,,33-LD,,Cán bộ cấp xã\ntx.boom,Ba,,33-LD,,Cán bộ cấp xã\n");
            Assert.False(result.Succeeded);
            var e = Assert.Single(result.Errors);
            Assert.Equal(4, e.Row);
            Assert.Contains("Không lưu được tài khoản 'tx.boom'", e.Message);
            Assert.Equal(before, await f.CountUsersAsync());
            Assert.Null(await f.Users().FindByNameAsync("tx.one"));
        }
        finally
        {
            await using var conn = await f.OpenAsync();
            await using var cmd = new NpgsqlCommand("drop trigger if exists test_refuse_boom on \"AspNetUsers\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData("f.u1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Bấm vào đây\"\")\",,33-LD,,Cán bộ cấp xã", "Họ tên", "=HYPERLINK(")]
    [InlineData("f.u2,=cmd|' /C calc'!A0,,33-LD,,Cán bộ cấp xã", "Họ tên", "=cmd|' /C calc'!A0")]
    [InlineData("f.u3,Người Hợp Lệ,,33-LD,@SUM(A1),Cán bộ cấp xã", "Phòng/ban", "@SUM(A1)")]
    public async Task ImportCsv_WhenACellStartsLikeAFormula_RefusesNamingRowAndColumnAndCreatesNothing(string row, string column, string shown)
    {
        var before = await f.CountUsersAsync();
        var result = await ImportCsvAsync(f.HungYenAdmin, Header + "\nok.formula." + column.Length + ",Người Hợp Lệ,,33-LD,,Cán bộ cấp xã\n" + row + "\n");
        Assert.False(result.Succeeded);
        Assert.Empty(result.Created);
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Message.Contains($"Cột '{column}'") && e.Message.Contains(shown));
        Assert.Equal(before, await f.CountUsersAsync());
    }

    [Fact]
    public async Task ImportCsv_WhenProvincialAdminGrantsSystemAdminOrPlacesAUserInAnotherProvince_AuditsEachRefusal()
    {
        var last = await f.LastAuditIdAsync();
        var result = await ImportCsvAsync(f.HungYenAdmin, Header + "\nref.sys,Người Một,,33-LD,,Quản trị hệ thống\nref.hn,Người Hai,,01-BD,,Cán bộ cấp xã\nref.ok,Người Ba,,33-LD,,Cán bộ cấp xã\n");
        Assert.False(result.Succeeded);
        Assert.Empty(result.Created);
        var refusals = (await f.AuditSinceAsync(last)).Where(a => a.Action == "AccessDenied").ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, a => Assert.False(a.Success));
        Assert.Contains(refusals, a => a.Detail!.StartsWith(ImportUsers.Action + ": tệp nguoi-dung.csv dòng 2: Không được cấp vai trò Quản trị hệ thống")
            && a.UnitId == f.Units["33-LD"]);
        Assert.Contains(refusals, a => a.Detail!.StartsWith(ImportUsers.Action + ": tệp nguoi-dung.csv dòng 3: Đơn vị '01-BD' (Ba Đình) nằm ngoài phạm vi")
            && a.UnitId == f.Units["01-BD"]);
    }

    private async Task<UserImportResult> ImportCsvAsync(IUnitScope acting, string csv) =>
        await f.Get<ImportUsers>(acting).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "nguoi-dung.csv");
}
