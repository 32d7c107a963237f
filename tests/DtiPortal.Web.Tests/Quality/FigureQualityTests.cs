using DtiPortal.Application.Quality;
using DtiPortal.Domain.Quality;
using DtiPortal.Web.Features.Quality;

namespace DtiPortal.Web.Tests.Quality;

/// <summary>The chip, the mark and the mark form beside one figure (issue 15), rendered on their own.</summary>
public sealed class FigureQualityTests
{
    private static readonly QualityFlagRow Flag = new(7, 3, "Xã Lạc Đạo", "Huyện Văn Lâm", "1.5.a", "1.5", "1.5.a: Số hộ dùng dịch vụ số",
        QualityCheck.ChangeSincePrevious, 3000, 1000, 2, false, "Tăng 200% so với đợt trước (Đợt 2023): 1.000 → 3.000; ngưỡng cảnh báo 50%.", null);

    [Fact]
    public async Task A_flag_shows_a_chip_whose_text_carries_the_explanation_for_screen_readers()
    {
        await using var ctx = PortalTestContext.Create();
        var cut = ctx.Render<FigureQuality>(p => p.Add(x => x.Address, "1.5.a").Add(x => x.Flags, [Flag]));
        var chip = cut.Find("[data-testid=flag-1-5-a-ChangeSincePrevious]");
        Assert.Contains("Thay đổi lớn +200%", chip.TextContent);
        Assert.Contains("Tăng 200% so với đợt trước (Đợt 2023): 1.000 → 3.000", chip.QuerySelector(".visually-hidden")!.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=follow-up-mark-1-5-a]")); // only reviewers mark
    }

    [Fact]
    public async Task A_reviewer_marks_with_a_note_and_a_refusal_stays_beside_the_figure()
    {
        await using var ctx = PortalTestContext.Create();
        var calls = new List<(string, string)>();
        var cut = ctx.Render<FigureQuality>(p => p.Add(x => x.Address, "1.5.a").Add(x => x.Label, "Số hộ").Add(x => x.CanMark, true)
            .Add(x => x.OnMark, (a, n) => { calls.Add((a, n)); return Task.FromResult<string?>(n.Length == 0 ? "Hãy ghi chú vì sao số liệu cần theo dõi." : null); }));
        Assert.Equal("Đánh dấu cần theo dõi: Số hộ", cut.Find("[data-testid=follow-up-mark-1-5-a]").GetAttribute("aria-label"));
        cut.Find("[data-testid=follow-up-mark-1-5-a]").Click();
        cut.Find("[data-testid=follow-up-save-1-5-a]").Click();
        Assert.Equal("Hãy ghi chú vì sao số liệu cần theo dõi.", cut.Find("[data-testid=follow-up-error-1-5-a]").TextContent);
        Assert.Equal([("1.5.a", "")], calls);
    }

    [Fact]
    public async Task The_unit_sees_the_note_and_whether_it_was_answered()
    {
        await using var ctx = PortalTestContext.Create();
        var mark = new FollowUpView(1, 7, "1.5.a", "1.5", "Đề nghị giải trình.", new DateTimeOffset(2024, 12, 12, 2, 0, 0, TimeSpan.Zero), "Lê Minh Tuấn",
            null, null, null, false);
        var cut = ctx.Render<FigureQuality>(p => p.Add(x => x.Address, "1.5.a").Add(x => x.Mark, mark).Add(x => x.CanAnswer, true));
        Assert.Equal("Đề nghị giải trình.", cut.Find("[data-testid=follow-up-note-1-5-a]").TextContent);
        Assert.Contains("Lê Minh Tuấn, 09:00 12/12/2024", cut.Find("[data-testid=follow-up-1-5-a]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=follow-up-unanswered-1-5-a]"));
        Assert.NotNull(cut.Find("[data-testid=follow-up-send-1-5-a]"));
    }
}
