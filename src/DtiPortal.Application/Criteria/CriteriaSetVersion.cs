using System.Security.Cryptography;
using System.Text;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Criteria;

/// <summary>
/// One published version of a criteria set, stored as its YAML text plus a SHA-256 of that text, so a past
/// score can be recomputed from exactly what was published (ADR-004). Immutable: there is no method that
/// changes it, and <see cref="LoadCriteriaSet"/> refuses different content under an existing id+version.
/// Shared reference data, not owned by a unit: every user may read every version.
/// </summary>
public sealed class CriteriaSetVersion
{
    private CriteriaSetVersion() { } // EF

    public int Id { get; private set; }
    public string SetId { get; private set; } = "";
    public int Version { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>commune | district | province: the unit level the set assesses.</summary>
    public string Level { get; private set; } = "";
    public string DecisionNumber { get; private set; } = "";
    public DateOnly? DecisionDate { get; private set; }
    public string DecisionIssuer { get; private set; } = "";
    public string Yaml { get; private set; } = "";
    /// <summary>Lower-case hex SHA-256 of the UTF-8 YAML text.</summary>
    public string Sha256 { get; private set; } = "";
    /// <summary>Shipped with the application (Domain/Criteria/Libraries), registered at start-up.</summary>
    public bool IsBuiltIn { get; private set; }
    public DateTimeOffset LoadedAt { get; private set; }
    /// <summary>Who loaded it; null for a built-in set.</summary>
    public string? LoadedBy { get; private set; }
    /// <summary>
    /// The province whose set this is (issue 14): listed and usable only in that province and managed by its provincial
    /// admins. Null for a national set (built-in sets, sets loaded from the command line, sets published by a system admin).
    /// </summary>
    public int? OwnerUnitId { get; private set; }
    /// <summary>The decision's PDF in the evidence store, when the studio published it with one.</summary>
    public string? DecisionDocumentKey { get; private set; }
    public string? DecisionDocumentName { get; private set; }

    /// <summary>Records a set that <see cref="CriteriaSetLoader"/> has validated, with the exact text it was read from.</summary>
    public static CriteriaSetVersion Publish(CriteriaSet set, string yaml, bool isBuiltIn, DateTimeOffset now, string? loadedBy,
        int? ownerUnitId = null, string? decisionDocumentKey = null, string? decisionDocumentName = null) => new()
    {
        OwnerUnitId = ownerUnitId,
        DecisionDocumentKey = decisionDocumentKey,
        DecisionDocumentName = decisionDocumentName,
        SetId = set.Id,
        Version = set.Version,
        Name = set.Name,
        Level = set.Level,
        DecisionNumber = set.Decision.Number,
        DecisionDate = set.Decision.Date,
        DecisionIssuer = set.Decision.Issuer,
        Yaml = yaml,
        Sha256 = HashOf(yaml),
        IsBuiltIn = isBuiltIn,
        LoadedAt = now.ToUniversalTime(),
        LoadedBy = isBuiltIn ? null : loadedBy,
    };

    public static string HashOf(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
}
