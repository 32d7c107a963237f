using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Web.Features.Assessments;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Tests.Assessments;

/// <summary>The entry page's pieces rendered on their own: the submit dialog and a field's browser copy of unsaved input.</summary>
public sealed class EntryPiecesTests
{
    [Fact]
    public async Task SubmitDialog_WhenErrorsRemain_ListsThemAndOffersNoConfirmation()
    {
        await using var ctx = PortalTestContext.Create();
        string? goneTo = null;
        var dialog = ctx.Render<SubmitDialog>(p => p
            .Add(x => x.Issues, [new CompletenessIssue("1.2", "Thiếu tài liệu kiểm chứng.", true), new CompletenessIssue("", "Chưa đăng ký mức mục tiêu.", false)])
            .Add(x => x.OnGoTo, EventCallback.Factory.Create<string>(this, code => goneTo = code)));

        Assert.Contains("Còn 1 mục phải hoàn thành", dialog.Find("[data-testid=submit-errors-note]").TextContent);
        Assert.Contains("Chưa đăng ký mức mục tiêu.", dialog.Find("[data-testid=submit-warnings]").TextContent);
        Assert.Empty(dialog.FindAll("[data-testid=submit-confirm]"));
        dialog.Find("[data-testid=submit-errors] button").Click();
        Assert.Equal("1.2", goneTo);
    }

    [Fact]
    public async Task SubmitDialog_WhenNothingBlocks_ConfirmsOnceAndDisablesWhileSubmitting()
    {
        await using var ctx = PortalTestContext.Create();
        var confirmed = 0;
        var dialog = ctx.Render<SubmitDialog>(p => p
            .Add(x => x.Issues, [])
            .Add(x => x.Total, "850/1.000")
            .Add(x => x.OnConfirm, EventCallback.Factory.Create(this, () => confirmed++)));

        Assert.Contains("850/1.000", dialog.Markup);
        dialog.Find("[data-testid=submit-confirm]").Click();
        Assert.Equal(1, confirmed);

        dialog.Render(p => p.Add(x => x.Submitting, true));
        Assert.True(dialog.Find("[data-testid=submit-confirm]").HasAttribute("disabled"));
        Assert.Contains("Đang nộp…", dialog.Find("[data-testid=submit-confirm]").TextContent);
    }

    [Theory]
    [InlineData(false, "7:general:1.4")]
    [InlineData(true, null)]
    public async Task Field_KeepsABrowserCopyOfTypedTextOnlyWhenEditable(bool readOnly, string? expectedKey)
    {
        await using var ctx = PortalTestContext.Create();
        var state = new FieldState("general:1.4", "Dân số", "người", InputType.Integer, [], false);
        state.Load(new StoredValue("general:1.4", 9120m, 3, DateTimeOffset.UnixEpoch, "Lê Văn A"));
        var actions = new EntryActions
        {
            AssessmentId = 7, Typed = (_, _) => { }, Leave = _ => Task.CompletedTask, Choose = _ => Task.CompletedTask,
            Resolve = _ => Task.CompletedTask, Assign = (_, _) => Task.CompletedTask, Uploaded = _ => Task.CompletedTask,
            Delete = _ => Task.CompletedTask, AddLink = (_, _) => Task.FromResult<string?>(null), General = _ => null,
        };

        var field = ctx.Render<GeneralSection>(f => f
            .Add(x => x.Actions, actions)
            .Add(x => x.Items, [(new GeneralItem("1.4", "population", "Dân số", "người", InputType.Integer), state)])
            .Add(x => x.ReadOnly, readOnly));

        var input = field.Find("[data-testid='input-general:1.4']");
        // Issue 15: read-only, a number is shown as it is read (9.120); an editable box keeps what was typed.
        Assert.Equal(readOnly ? "9.120" : "9120", input.GetAttribute("value"));
        Assert.Equal(expectedKey, input.GetAttribute("data-draft-key"));
        if (expectedKey is not null) Assert.Equal("3", input.GetAttribute("data-draft-version"));
    }

    /// <summary>
    /// Issue 17: the general information renders in groups (one component each) that stay within a 256-frame render buffer,
    /// in the set's order, every item once; a keystroke re-renders its group only.
    /// </summary>
    [Fact]
    public async Task GeneralSection_RendersEveryItemOnceInOrder_InGroupsThatFitTheirBuffer()
    {
        await using var ctx = PortalTestContext.Create();
        var items = Enumerable.Range(1, 29).Select(i =>
        {
            var type = i % 10 == 0 ? InputType.Boolean : InputType.Integer;
            var item = new GeneralItem($"1.{i}", $"k{i}", $"Mục {i}", type == InputType.Integer ? "người" : null, type);
            return (item, new FieldState("general:" + item.Code, item.Label, item.Unit, type, [], false));
        }).ToList();
        var actions = new EntryActions
        {
            AssessmentId = 7, Typed = (_, _) => { }, Leave = _ => Task.CompletedTask, Choose = _ => Task.CompletedTask,
            Resolve = _ => Task.CompletedTask, Assign = (_, _) => Task.CompletedTask, Uploaded = _ => Task.CompletedTask,
            Delete = _ => Task.CompletedTask, AddLink = (_, _) => Task.FromResult<string?>(null), General = _ => null,
        };

        var section = ctx.Render<GeneralSection>(p => p.Add(x => x.Actions, actions).Add(x => x.Items, items));

        var groups = section.FindComponents<GeneralItems>();
        Assert.InRange(groups.Count, 3, 8);
        Assert.Equal(items.Select(x => x.item.Code), groups.SelectMany(g => g.Instance.Items).Select(x => x.Item.Code));
        foreach (var g in groups)
        {
            // Each group's own frames (elements, attributes, texts) stay within the 256 its buffer is rented at.
            var frames = g.Nodes.SelectMany(n => Descendants(n)).Sum(n => 1 + (n is AngleSharp.Dom.IElement e ? e.Attributes.Length : 0));
            Assert.True(frames <= 256, $"Nhóm bắt đầu ở mục {g.Instance.Items[0].Item.Code} có khoảng {frames} frame.");
        }
        var ids = section.FindAll("[data-testid^='field-general:']").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(items.Select(x => "field-general:" + x.item.Code), ids);
        Assert.Equal("1.3. Mục 3 (người)", section.Find("label[for='f-general-1-3']").TextContent);
    }

    private static IEnumerable<AngleSharp.Dom.INode> Descendants(AngleSharp.Dom.INode node) =>
        new[] { node }.Concat(node.ChildNodes.SelectMany(Descendants));
}
