namespace DtiPortal.Domain.Units;

/// <summary>
/// An administrative unit (tỉnh, huyện, xã …) with its official code. Units are never deleted:
/// a merged or dissolved unit gets a <see cref="ValidTo"/> date and its successors record it
/// as a predecessor, so a new unit's history can be compared with its predecessors'.
/// </summary>
public sealed class AdministrativeUnit
{
    private readonly List<UnitPredecessor> _predecessors = [];

    private AdministrativeUnit() { } // EF

    public AdministrativeUnit(string code, string name, UnitKind kind, string levelCode, int? parentId,
        DateOnly? validFrom = null, DateOnly? validTo = null, bool isDemo = false)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new DomainException("Thiếu mã đơn vị.");
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("Tên đơn vị đang để trống.");
        if (validFrom is not null && validTo is not null && validTo < validFrom)
            throw new DomainException("Ngày hết hiệu lực trước ngày có hiệu lực.");
        Code = code.Trim();
        Name = name.Trim();
        SearchKey = VietnameseText.Fold(Name + " " + Code);
        Kind = kind;
        LevelCode = levelCode;
        ParentId = parentId;
        ValidFrom = validFrom;
        ValidTo = validTo;
        IsDemo = isDemo;
    }

    public int Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Name and code folded for accent-insensitive search ("lac dao 09841").</summary>
    public string SearchKey { get; private set; } = "";
    public UnitKind Kind { get; private set; }
    public string LevelCode { get; private set; } = "";
    public int? ParentId { get; private set; }
    public DateOnly? ValidFrom { get; private set; }
    public DateOnly? ValidTo { get; private set; }
    /// <summary>Demo data (the seeds' units and invented communes), never official.</summary>
    public bool IsDemo { get; private set; }

    public IReadOnlyCollection<UnitPredecessor> Predecessors => _predecessors.AsReadOnly();

    public void AddPredecessor(int predecessorId, PredecessorKind kind)
    {
        if (predecessorId == Id && Id != 0) throw new DomainException("Một đơn vị không thể là tiền thân của chính nó.");
        if (_predecessors.Any(p => p.PredecessorId == predecessorId)) return;
        _predecessors.Add(new UnitPredecessor(predecessorId, kind));
    }
}

public enum PredecessorKind
{
    /// <summary>Sáp nhập: the predecessor was merged into this unit.</summary>
    Merged,
    /// <summary>Chia tách: this unit was split off the predecessor.</summary>
    Split,
}

public sealed class UnitPredecessor
{
    private UnitPredecessor() { } // EF

    public UnitPredecessor(int predecessorId, PredecessorKind kind)
    {
        PredecessorId = predecessorId;
        Kind = kind;
    }

    public int UnitId { get; private set; }
    public int PredecessorId { get; private set; }
    public PredecessorKind Kind { get; private set; }
}
