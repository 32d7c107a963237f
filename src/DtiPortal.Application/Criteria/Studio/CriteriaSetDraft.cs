using DtiPortal.Application.Tenancy;

namespace DtiPortal.Application.Criteria.Studio;

/// <summary>
/// A criteria set being written in the studio (issue 14): its YAML text (docs/criteria-format.md), saved as the admin
/// types. Owned by a province (<see cref="UnitId"/>, managed by its provincial admins) or by the nation (null, managed
/// by system admins); row-level security hides it from everyone else. Publishing copies the text into an immutable
/// <see cref="CriteriaSetVersion"/> and removes the draft.
/// </summary>
public sealed class CriteriaSetDraft : IOptionallyUnitOwned
{
    private CriteriaSetDraft() { } // EF

    public CriteriaSetDraft(int? unitId, string yaml, string origin, DateTimeOffset now, string? by)
    {
        UnitId = unitId;
        Origin = origin;
        CreatedAt = now.ToUniversalTime();
        CreatedBy = by;
        Replace(yaml, now, by);
    }

    public int Id { get; private set; }
    /// <summary>The province that manages the draft, or null for a national draft.</summary>
    public int? UnitId { get; private set; }
    public string Yaml { get; private set; } = "";
    /// <summary>How it was started, in Vietnamese ("Bản sao của hung-yen-commune-2024 v1", "Bộ trống", "Tệp YAML", "Bảng tính").</summary>
    public string Origin { get; private set; } = "";
    /// <summary>The set id, version and name the text declares, as far as they can be read (for the list).</summary>
    public string SetId { get; private set; } = "";
    public int Version { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Increases with every save: an autosave built on an older revision is refused instead of overwriting.</summary>
    public int Revision { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    /// <summary>The decision's PDF in the evidence store, attached before publishing.</summary>
    public string? DecisionDocumentKey { get; private set; }
    public string? DecisionDocumentName { get; private set; }

    public void Replace(string yaml, DateTimeOffset now, string? by)
    {
        Yaml = yaml;
        var header = DraftHeader.Read(yaml);
        SetId = Truncate(header.SetId, 100);
        Version = header.Version;
        Name = Truncate(header.Name, 500);
        Revision++;
        UpdatedAt = now.ToUniversalTime();
        UpdatedBy = by;
    }

    public void AttachDecisionDocument(string key, string fileName)
    {
        DecisionDocumentKey = key;
        DecisionDocumentName = Truncate(fileName, 255);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
