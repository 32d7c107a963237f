using System.Text.RegularExpressions;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Audit;

/// <summary>
/// The audit page speaks Vietnamese: every action code written anywhere in src and every kind of data the trail records
/// has a Vietnamese name in <see cref="AuditNames"/>. A new code without a name fails here, not in front of an administrator.
/// </summary>
public sealed partial class AuditNamesTests
{
    // new AuditEvent("Code", …), new AuditEvent(x ? "A" : "B", …), new AuditRow(…, "Code", nameof(Type)|"Type", …),
    // ChangeAsync(roundId, …, "Code", …) in RoundAdmin, a const Action = "Code", the interceptor's Create/Update/Delete.
    [GeneratedRegex(@"new\s+(?:Audit\.)?AuditEvent\(\s*(?:\w+\s*\?\s*)?""(?<a>[A-Za-z]+)""(?:\s*:\s*""(?<b>[A-Za-z]+)"")?")]
    private static partial Regex EventAction();

    [GeneratedRegex(@"""(?<a>[A-Z][A-Za-z]+)""\s*,\s*(?:nameof\((?:\w+\.)*(?<t>\w+)\)|""(?<t>[A-Z][A-Za-z]+)"")")]
    private static partial Regex RowActionAndType();

    [GeneratedRegex(@"AuditEvent\([^,()]+,\s*(?:nameof\((?:\w+\.)*(?<t>\w+)\)|""(?<t>[A-Z][A-Za-z]+)"")")]
    private static partial Regex EventType();

    [GeneratedRegex(@"ChangeAsync\(roundId,\s*\w+,\s*""(?<a>[A-Za-z]+)""")]
    private static partial Regex RoundAction();

    [GeneratedRegex(@"const string Action = ""(?<a>[A-Za-z]+)""")]
    private static partial Regex ConstAction();

    [GeneratedRegex(@"EntityState\.\w+ => ""(?<a>[A-Za-z]+)""|_ => ""(?<a>Delete)""")]
    private static partial Regex InterceptorAction();

    [Fact]
    public void EveryActionAndEntityTypeWrittenInSrc_HasAVietnameseName()
    {
        var (actions, types) = Scan();
        Assert.Contains("SignIn", actions); // the scan finds what it must (else the test could not fail)
        Assert.Contains("Workflow", actions);
        Assert.Contains("Create", actions);
        Assert.Contains("RoundClosed", actions);
        Assert.Contains("AccessDenied", actions);
        Assert.Contains("Assessment", types);
        var missing = actions.Where(a => !AuditNames.HasActionName(a)).Select(a => "action " + a)
            .Concat(types.Where(t => !AuditNames.HasEntityName(t)).Select(t => "entity " + t)).ToList();
        Assert.True(missing.Count == 0, "No Vietnamese name in AuditNames for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryAuditedEntityType_HasAVietnameseName()
    {
        var options = new DbContextOptionsBuilder<DtiDbContext>().UseNpgsql("Host=localhost;Database=model_only").Options;
        using var db = new DtiDbContext(options, FixedUnitScope.System); // the model only: no connection is opened
        var names = db.Model.GetEntityTypes().Where(AuditSaveChangesInterceptor.IsAudited).Select(AuditSaveChangesInterceptor.EntityName).Distinct().ToList();
        Assert.Contains("CriterionAppraisal", names);
        Assert.Contains("UserRole", names);
        var missing = names.Where(n => !AuditNames.HasEntityName(n)).ToList();
        Assert.True(missing.Count == 0, "No Vietnamese name in AuditNames for the entity types: " + string.Join(", ", missing));
        Assert.Equal("Bản đánh giá", AuditNames.Entity("Assessment"));
        Assert.Equal("Thẩm định tiêu chí", AuditNames.Action("Thẩm định tiêu chí")); // already Vietnamese: kept
    }

    private static (HashSet<string> Actions, HashSet<string> Types) Scan()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        HashSet<string> actions = new(StringComparer.Ordinal), types = new(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                                 && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (!text.Contains("AuditEvent(", StringComparison.Ordinal) && !text.Contains("AuditRow(", StringComparison.Ordinal)
                && !text.Contains("RoundAdmin", StringComparison.Ordinal)) continue;
            foreach (Match m in EventAction().Matches(text))
            {
                actions.Add(m.Groups["a"].Value);
                if (m.Groups["b"].Success) actions.Add(m.Groups["b"].Value);
            }
            foreach (Match m in EventType().Matches(text)) types.Add(m.Groups["t"].Value);
            foreach (Match m in RoundAction().Matches(text)) actions.Add(m.Groups["a"].Value);
            if (text.Contains("AuditEvent(Action", StringComparison.Ordinal))
                foreach (Match m in ConstAction().Matches(text)) actions.Add(m.Groups["a"].Value);
            if (text.Contains("AuditRow(", StringComparison.Ordinal))
            {
                foreach (Match m in RowActionAndType().Matches(text)) { actions.Add(m.Groups["a"].Value); types.Add(m.Groups["t"].Value); }
                foreach (Match m in InterceptorAction().Matches(text)) actions.Add(m.Groups["a"].Value);
            }
        }
        return (actions, types);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DtiPortal.sln"))) return dir.FullName;
        throw new InvalidOperationException("DtiPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
