namespace DtiPortal.Web.Features.Assessments;

/// <summary>What the "Thêm đường link" form collects: the link and the optional document details.</summary>
public sealed class EvidenceLinkForm
{
    public string Url { get; set; } = "";
    public string? DocNumber { get; set; }
    public DateOnly? IssuedOn { get; set; }
    public string? Issuer { get; set; }
    public string? Summary { get; set; }
}
