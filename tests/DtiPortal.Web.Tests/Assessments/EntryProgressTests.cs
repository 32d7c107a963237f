using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Web.Features.Assessments;

namespace DtiPortal.Web.Tests.Assessments;

/// <summary>
/// Issue 15's small things on the entry page: the count per main index and the next empty field (EntryProgress), the score
/// bar showing the recognised result and the one level wording, the submit dialog without "4.1: Tiêu chí 4.1:", numbers
/// grouped where they are read.
/// </summary>
public sealed class EntryProgressTests
{
    private static FieldState Field(string address, string text = "")
    {
        var f = new FieldState(address, address, null, InputType.Number, [], false);
        f.Load(text.Length == 0 ? null : new StoredValue(address, decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 1, DateTimeOffset.UnixEpoch, null));
        return f;
    }

    private static List<EntryProgress.Slot> Slots() =>
    [
        new("general", "", Field("general:1.4", "9120"), true),
        new("general", "", Field("general:1.6"), true),
        new("1", "1.1", Field("1.1.a", "3"), true),
        new("1", "1.2", Field("1.2.a"), false), // assigned to another department: not the user's to fill
        new("1", "1.3", Field("1.3.a"), true),
        new("2", "2.1", Field("2.1.a"), true),
    ];

    [Fact]
    public void Count_PerSection_CountsFieldsWithAValue()
    {
        var slots = Slots();
        Assert.Equal((1, 2), EntryProgress.Count(slots, "general"));
        Assert.Equal((1, 3), EntryProgress.Count(slots, "1"));
        Assert.Equal((0, 1), EntryProgress.Count(slots, "2"));
        Assert.Equal("12/19 mục đã nhập", EntryProgress.CountText(12, 19));
    }

    [Fact]
    public void NextEmpty_SkipsFilledAndReadOnlyFields_FollowsTheLastVisited_AndWrapsRound()
    {
        var slots = Slots();
        Assert.Equal("general:1.6", EntryProgress.NextEmpty(slots, null)!.Field.Address);
        Assert.Equal("1.3.a", EntryProgress.NextEmpty(slots, "general:1.6")!.Field.Address); // 1.2.a is not editable
        Assert.Equal("2.1.a", EntryProgress.NextEmpty(slots, "1.3.a")!.Field.Address);
        Assert.Equal("general:1.6", EntryProgress.NextEmpty(slots, "2.1.a")!.Field.Address); // round to the top

        foreach (var s in slots.Where(s => s.Editable)) s.Field.Text = "1";
        Assert.Null(EntryProgress.NextEmpty(slots, "1.1.a"));
    }

    [Fact]
    public async Task ScoreBar_AfterApproval_ShowsTheRecognisedTotalAndLevelInTheOneWording()
    {
        await using var ctx = PortalTestContext.Create();
        var points = BuiltInLibraries.Load("hung-yen-commune-2024"); // points, no maturity levels
        var bar = ctx.Render<ScoreBar>(p => p
            .Add(x => x.Set, points).Add(x => x.Sections, []).Add(x => x.Shown, new ShownScore(645.08m, null, Recognised: true)));
        Assert.Equal("645,08", bar.Find("[data-testid=total]").TextContent);
        Assert.Contains("kết quả được công nhận", bar.Find("[data-testid=recognised-note]").TextContent);
        bar.Render(p => p.Add(x => x.Shown, new ShownScore(642.98m, null, Recognised: false)));
        Assert.Equal("642,98", bar.Find("[data-testid=total]").TextContent);
        Assert.Empty(bar.FindAll("[data-testid=recognised-note]"));

        var levels = BuiltInLibraries.Load("mic-2361-commune"); // maturity levels (Decision 2361)
        var levelBar = ctx.Render<ScoreBar>(p => p
            .Add(x => x.Set, levels).Add(x => x.Sections, []).Add(x => x.Shown, new ShownScore(null, 0, Recognised: true)));
        Assert.Contains("Chưa đạt mức 1", levelBar.Find("[data-testid=level]").TextContent);
        levelBar.Render(p => p.Add(x => x.Shown, new ShownScore(null, 2, Recognised: false)));
        var name = levels.Levels.Single(l => l.Level == 2).Name;
        Assert.Contains($"Mức 2 – {name}", levelBar.Find("[data-testid=level]").TextContent);
        Assert.Equal($"Mức 2 – {name}", DisplayedScore.LevelText(2, levels.Levels));
        Assert.Equal("—", DisplayedScore.LevelText(null, levels.Levels));
    }

    [Fact]
    public async Task SubmitDialog_NamesTheCriterionOnce()
    {
        await using var ctx = PortalTestContext.Create();
        var dialog = ctx.Render<SubmitDialog>(p => p
            .Add(x => x.Issues, [new CompletenessIssue("4.1", "Tiêu chí 4.1: chưa nhập “Số hồ sơ”.", true)]));

        var item = System.Text.RegularExpressions.Regex.Replace(dialog.Find("[data-testid=submit-errors] li").TextContent, @"\s+", " ").Trim();
        Assert.Equal("Tiêu chí 4.1: chưa nhập “Số hồ sơ”.", item);
        Assert.DoesNotContain("4.1: Tiêu chí", item);
    }

    [Fact]
    public async Task EvidencePanel_DrawsItsIconsAsSvg_AndNamesAnotherPlaceOnce()
    {
        await using var ctx = PortalTestContext.Create();
        var at = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        var panel = ctx.Render<EvidencePanel>(p => p
            .Add(x => x.AssessmentId, 7).Add(x => x.CriterionCode, "1.1").Add(x => x.ReadOnly, true)
            .Add(x => x.OnAddLink, (_, _) => Task.FromResult<string?>(null))
            .Add(x => x.Items,
            [
                new EvidenceItem(1, "1.1", EvidenceKind.File, "quyet-dinh.pdf", "application/pdf", 2048, null, null, null, null, null, at, "Lê Văn A",
                    "abc", ["tiêu chí 3.1 (đánh giá năm 2024)"]),
                new EvidenceItem(2, "1.1", EvidenceKind.Link, null, null, null, "https://hungyen.gov.vn", null, null, null, null, at, null, "https://hungyen.gov.vn", []),
            ]));

        // Debian's fonts have no emoji: the icons are MudBlazor's SVG icons, which always render.
        Assert.NotNull(panel.Find("[data-testid=evidence-item-1] svg"));
        Assert.NotNull(panel.Find("[data-testid=evidence-item-2] svg"));
        Assert.DoesNotContain("📄", panel.Markup);
        Assert.DoesNotContain("🔗", panel.Markup);
        var note = System.Text.RegularExpressions.Regex.Replace(panel.Find("[data-testid=duplicate-1]").TextContent, @"\s+", " ").Trim();
        Assert.Equal("Tài liệu này cũng được đính kèm ở tiêu chí 3.1 (đánh giá năm 2024).", note);
    }

    [Theory]
    [InlineData("12500", InputType.Integer, "12.500")]
    [InlineData("1234,5", InputType.Number, "1.234,5")]
    [InlineData("72,5", InputType.Percent, "72,5")]
    [InlineData("12500", InputType.Text, "12500")]
    [InlineData("ba", InputType.Number, "ba")]
    public void Grouped_ShowsNumbersAsTheyAreRead(string text, InputType type, string expected) =>
        Assert.Equal(expected, AssessmentText.Grouped(text, type));
}
