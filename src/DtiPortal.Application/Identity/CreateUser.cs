using System.Text.Json;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DtiPortal.Application.Identity;

/// <summary>The create-user form (mutable, so an EditForm binds to it). The unit is given by id (form) or code (file).</summary>
public sealed class CreateUserRequest
{
    public string UserName { get; set; } = "";
    public string FullName { get; set; } = "";
    public string? Email { get; set; }
    public int? UnitId { get; set; }
    public string? UnitCode { get; set; }
    public string? Department { get; set; }
    public List<string> Roles { get; set; } = [];
}

/// <summary>The rules a form or a file row can check without the database. Messages are Vietnamese, per field.</summary>
public sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        var allowed = new IdentityOptions();
        IdentitySettings.Apply(allowed);
        var chars = allowed.User.AllowedUserNameCharacters;

        RuleFor(x => x.UserName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Nhập tên đăng nhập.")
            .Must(v => v.Trim().Length >= 3).WithMessage("Tên đăng nhập phải có ít nhất 3 ký tự.")
            .Must(v => v.Trim().Length <= 64).WithMessage("Tên đăng nhập dài quá 64 ký tự.")
            .Must(v => v.Trim().All(chars.Contains))
            .WithMessage(x => $"Tên đăng nhập '{x.UserName.Trim()}' không hợp lệ: chỉ dùng chữ không dấu, số và - . _ @ (không có khoảng trắng).");
        RuleFor(x => x.FullName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Họ tên đang để trống.")
            .Must(v => v.Trim().Length <= 200).WithMessage("Họ tên dài quá 200 ký tự.");
        RuleFor(x => x.Email)
            .EmailAddress().WithMessage(x => $"Email '{x.Email}' không hợp lệ.")
            .MaximumLength(256).WithMessage("Email dài quá 256 ký tự.")
            .When(x => !string.IsNullOrWhiteSpace(x.Email));
        RuleFor(x => x.UnitId)
            .Must((x, id) => id is not null || !string.IsNullOrWhiteSpace(x.UnitCode)).WithMessage("Chọn đơn vị của người dùng.");
        RuleFor(x => x.Department)
            .MaximumLength(200).WithMessage("Tên phòng/ban dài quá 200 ký tự.");
        RuleFor(x => x.Roles).Cascade(CascadeMode.Stop)
            .Must(r => r.Count > 0).WithMessage("Chọn ít nhất một vai trò.")
            .Must(r => r.All(Identity.Roles.All.Contains))
            .WithMessage(x => $"Vai trò không hợp lệ: {string.Join(", ", x.Roles.Where(r => !Identity.Roles.All.Contains(r)))}.");
    }
}

public sealed record FieldError(string Field, string Message);

public sealed record CreateUserResult(string? UserId, string? TemporaryPassword, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Creates one account with a temporary password that is returned once and never stored in clear. Rules: see
/// <see cref="UserAdminPolicy"/>. Field problems come back as <see cref="FieldError"/>s; a permission problem is thrown.
/// </summary>
public sealed class CreateUser(
    UserAdminPolicy policy, UserManager<AppUser> users, RoleManager<IdentityRole> roles, DtiDbContext db,
    IValidator<CreateUserRequest> validator, IOptions<IdentityOptions> identityOptions, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Tạo người dùng";

    public async Task<CreateUserResult> HandleAsync(CreateUserRequest request, CancellationToken ct = default)
    {
        var unit = await policy.FindUnitAsync(request.UnitId, request.UnitCode, ct);
        await policy.DemandAdminAsync(Action, unit?.Id, ct);

        var errors = (await validator.ValidateAsync(request, ct)).Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList();
        if (unit is null && (request.UnitId is not null || !string.IsNullOrWhiteSpace(request.UnitCode)))
            errors.Add(new FieldError(nameof(CreateUserRequest.UnitId), $"Không tìm thấy đơn vị {request.UnitCode ?? request.UnitId?.ToString()}."));
        if (errors.Count > 0 || unit is null) return new CreateUserResult(null, null, errors);

        var actor = await policy.ActorAsync(ct);
        foreach (var role in request.Roles.Distinct())
            if (policy.WhyCannotGrant(actor, role, unit) is { } why)
                throw await policy.DenyAsync(Action, unit.Id, why, ct);

        db.ChangeTracker.Clear(); // the scoped context may outlive one operation in a Blazor circuit
        if (await users.FindByNameAsync(request.UserName.Trim()) is not null)
            return new CreateUserResult(null, null, [new FieldError(nameof(CreateUserRequest.UserName), $"Tên đăng nhập '{request.UserName.Trim()}' đã được dùng.")]);

        var password = TemporaryPassword.Generate(identityOptions.Value.Password);
        var user = NewUser(request, unit.Id, clock.GetUtcNow());
        await EnsureRolesAsync(roles, request.Roles, ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var failure = await CreateAsync(users, user, password, request.Roles);
            if (failure is not null) return new CreateUserResult(null, null, failure);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        await audit.WriteAsync(new AuditEvent("UserCreated", nameof(AppUser), user.Id, unit.Id,
            After: Json(user, request.Roles), Detail: $"Tạo tài khoản {user.UserName} ({user.FullName}) tại {unit.Name}."), ct);
        return new CreateUserResult(user.Id, password, []);
    }

    internal static AppUser NewUser(CreateUserRequest r, int unitId, DateTimeOffset now) => new()
    {
        UserName = r.UserName.Trim(),
        FullName = r.FullName.Trim(),
        Email = string.IsNullOrWhiteSpace(r.Email) ? null : r.Email.Trim(),
        UnitId = unitId,
        Department = string.IsNullOrWhiteSpace(r.Department) ? null : r.Department.Trim(),
        CreatedAt = now,
        LockoutEnabled = true,
    };

    /// <summary>Creates the account, its roles and the must-change-password flag; the caller owns the transaction.</summary>
    internal static async Task<List<FieldError>?> CreateAsync(UserManager<AppUser> users, AppUser user, string password, IEnumerable<string> roleNames)
    {
        IdentityResult result;
        try
        {
            result = await users.CreateAsync(user, password);
            if (result.Succeeded) result = await users.AddToRolesAsync(user, roleNames.Distinct());
            if (result.Succeeded) result = await users.AddClaimAsync(user, new System.Security.Claims.Claim(AccountClaims.MustChangePassword, "true"));
        }
        catch (DbUpdateException ex)
        {
            // E.g. the same user name created by someone else a moment ago (unique index): the transaction rolls back.
            return [new FieldError("", $"Không lưu được tài khoản '{user.UserName}': {(ex.InnerException ?? ex).Message}")];
        }
        return result.Succeeded ? null : result.Errors.Select(e => new FieldError(FieldOf(e.Code), e.Description)).ToList();
    }

    internal static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles, IEnumerable<string> names, CancellationToken ct)
    {
        foreach (var name in names.Distinct())
        {
            ct.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(name)) await roles.CreateAsync(new IdentityRole(name));
        }
    }

    internal static string Json(AppUser u, IEnumerable<string> roleNames) => JsonSerializer.Serialize(new
    {
        u.UserName, u.FullName, u.Email, u.UnitId, u.Department, Roles = roleNames.Distinct().ToList(),
    });

    private static string FieldOf(string code) => code switch
    {
        nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.InvalidUserName) => nameof(CreateUserRequest.UserName),
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.InvalidEmail) => nameof(CreateUserRequest.Email),
        _ => "",
    };
}
