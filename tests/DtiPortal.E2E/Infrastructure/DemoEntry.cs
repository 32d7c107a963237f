using DtiPortal.Application.Assessments;
using DtiPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DtiPortal.E2E.Infrastructure;

/// <summary>Figures stored behind the page, through the real autosave use case, as the commune's colleagues would.</summary>
public static class DemoEntry
{
    /// <summary>
    /// Stores a plausible value at every address of the assessment's set still empty, and clears <paramref name="except"/>
    /// (what the test types starts empty, whatever the demo figures hold). <paramref name="percent"/>: the text for a percent
    /// input (else "1", like a count).
    /// </summary>
    public static async Task PrefillAsync(AppServer app, int id, IReadOnlyCollection<string> except, string? percent = null)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        var entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(id);
        var save = scope.ServiceProvider.GetRequiredService<SaveValue>();
        var set = entry.Set;
        var addresses = set.General.Select(g => ("general:" + g.Code, g.Type, 0, false))
            .Concat(set.ValueAddresses.Where(a => a.General is null).Select(a => (a.Address, a.Type, a.OptionCount, a.IsList)));
        foreach (var (address, type, options, isList) in addresses)
        {
            var stored = entry.Values.GetValueOrDefault(address);
            if (except.Contains(address))
            {
                if (stored?.Value is not null) Assert.True((await save.HandleAsync(id, address, null, stored.Version)).Saved, address);
                continue;
            }
            if (stored?.Value is not null) continue;
            var text = isList ? "3" : options > 0 ? "1" : type switch
            {
                Domain.Criteria.InputType.Boolean => "true",
                Domain.Criteria.InputType.Text => "Lạc Đạo",
                Domain.Criteria.InputType.Date => $"15/03/{entry.Round.Year}",
                Domain.Criteria.InputType.Percent when percent is not null => percent,
                _ => "1", // a part never exceeds its whole
            };
            var result = await save.HandleAsync(id, address, text, stored?.Version ?? 0);
            // A set's validation rule may refuse one more "1" (6.3.b + 6.3.c <= 6.3.a): that part of the whole gets 0.
            if (!result.Saved && text == "1") result = await save.HandleAsync(id, address, "0", stored?.Version ?? 0);
            Assert.True(result.Saved, $"{address}: {result.Error}");
        }
    }

    /// <summary>
    /// Opens a section of the entry page ("general" or a main index's code) unless it is open: the page opens only the
    /// section where work remains (issue 17). Waits for the circuit first, so the click is not lost on the prerendered page.
    /// </summary>
    public static async Task OpenSectionAsync(IPage page, string section)
    {
        await Browser.WaitForCircuitAsync(page);
        var toggle = page.GetByTestId("toggle-" + section);
        if (await toggle.GetAttributeAsync("aria-expanded") != "true") await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
    }
}
