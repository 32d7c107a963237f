using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Cli;

/// <summary>`dti sets`, `dti score`, `dti bench score` (issue 4): the scoring engine without a database.</summary>
internal static class ScoringCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(SetsCommand());
        root.Subcommands.Add(ScoreCommand());
        root.Subcommands.Add(BenchCommand());
    }

    private static Command SetsCommand()
    {
        var command = new Command("sets", "Liệt kê các bộ chỉ số dựng sẵn");
        command.SetAction(_ =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var failed = false;
            foreach (var id in BuiltInLibraries.Ids)
            {
                var result = BuiltInLibraries.TryLoad(id);
                if (result.Set is { } set)
                {
                    var date = set.Decision.Date is { } d ? $" ngày {d:dd/MM/yyyy}" : "";
                    Console.WriteLine($"{set.Id}\tv{set.Version}\t{set.Level}\t{set.Name}\t{set.Decision.Number}{date} ({set.Decision.Issuer})");
                }
                else
                {
                    failed = true;
                    Console.Error.WriteLine($"{id}: không tải được");
                    foreach (var e in result.Errors) Console.Error.WriteLine($"  {e}");
                }
            }
            return failed ? 1 : 0;
        });
        return command;
    }

    private static Command ScoreCommand()
    {
        var setOption = new Option<string>("--set") { Description = "Mã bộ chỉ số dựng sẵn (xem `dti sets`) hoặc đường dẫn tệp .yaml" };
        var setFileOption = SetFiles.SetFileOption(); // issue 14: .yaml or .xlsx
        var valuesOption = new Option<FileInfo>("--values") { Description = "Tệp số liệu JSON: {\"units\":[{\"unit\":…,\"general\":{…},\"values\":{…}}]}", Required = true };
        var formatOption = new Option<string>("--format") { Description = "json | table", DefaultValueFactory = _ => "json" };
        formatOption.AcceptOnlyFromAmong("json", "table");
        var command = new Command("score", "Chấm điểm các đơn vị theo một bộ chỉ số (không cần cơ sở dữ liệu)");
        command.Options.Add(setOption);
        command.Options.Add(setFileOption);
        command.Options.Add(valuesOption);
        command.Options.Add(formatOption);
        command.SetAction(parseResult =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            try
            {
                var set = SetFiles.Resolve(parseResult, setOption, setFileOption, LoadSet);
                var units = ValuesFile.Read(parseResult.GetValue(valuesOption)!);
                if (ScoringEngine.Validate(set, units) is { Count: > 0 } bad) throw new ScoringInputException(bad);
                // Error rules of the set (spec §10) refuse the file like an ill-typed value; warnings go to the output.
                var broken = units.SelectMany(u => ValidationRules.Evaluate(set, u)
                    .Where(v => v.Severity == RuleSeverity.Error).Select(v => $"Đơn vị '{u.Unit}': {v.Describe()}")).ToList();
                if (broken.Count > 0) throw new ScoringInputException(broken);
                var cohort = ScoringEngine.Score(set, units);
                if (parseResult.GetValue(formatOption) == "table") WriteTable(cohort);
                else
                {
                    using var stdout = Console.OpenStandardOutput();
                    ScoreJson.Write(cohort, stdout);
                    stdout.Write("\n"u8);
                }
                return 0;
            }
            catch (Exception ex) when (ex is DomainException or ScoringInputException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static CriteriaSet LoadSet(string idOrPath)
    {
        if (idOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || idOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(idOrPath)) throw new DomainException($"Không tìm thấy tệp bộ chỉ số '{idOrPath}'");
            var result = CriteriaSetLoader.Parse(File.ReadAllText(idOrPath));
            return result.Set ?? throw new DomainException($"Bộ chỉ số '{idOrPath}' có lỗi:\n" + string.Join("\n", result.Errors));
        }
        if (!BuiltInLibraries.Ids.Contains(idOrPath))
            throw new DomainException($"Không có bộ chỉ số '{idOrPath}'. Các bộ có sẵn: {string.Join(", ", BuiltInLibraries.Ids)}");
        return BuiltInLibraries.Load(idOrPath);
    }

    private static void WriteTable(CohortResult cohort)
    {
        foreach (var unit in cohort.Units)
        {
            var level = unit.Level is { } l ? l.ToString() : "—";
            Console.WriteLine($"Đơn vị {unit.Unit} — tổng {VnFormat.Number(unit.Total)}/{VnFormat.Number(cohort.Set.MaxPoints ?? 0)} — mức {level}");
            foreach (var node in unit.Nodes)
            {
                var indent = new string(' ', 2 * node.Code.Count(c => c == '.'));
                var score = $"{VnFormat.Number(node.Points)}/{VnFormat.Number(node.Max)}";
                Console.WriteLine($"  {indent}{node.Code,-8} {score,12}  {node.Explanation}");
            }
            if (unit.Missing.Count > 0) Console.WriteLine($"  Thiếu số liệu: {string.Join(", ", unit.Missing)}");
            foreach (var v in unit.RuleViolations) Console.WriteLine($"  Cảnh báo {v.Code}: {v.Describe()}");
            foreach (var gap in unit.NextLevels)
            {
                Console.WriteLine($"  Để đạt mức {gap.Level} ({gap.Name}):");
                foreach (var b in gap.Blockers) Console.WriteLine($"    {b.Code} {b.Requirement}: {b.Message}");
            }
            Console.WriteLine();
        }
    }

    private static Command BenchCommand()
    {
        var unitsOption = new Option<int>("--units") { Description = "Số đơn vị trong nhóm", DefaultValueFactory = _ => 10_000 };
        var score = new Command("score", "Đo thời gian chấm điểm một nhóm đơn vị ngẫu nhiên");
        score.Options.Add(unitsOption);
        score.SetAction(parseResult =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var count = parseResult.GetValue(unitsOption);
            if (count < 1)
            {
                Console.Error.WriteLine("--units phải ≥ 1");
                return 1;
            }
            foreach (var id in new[] { "hung-yen-commune-2024", "mic-2361-commune" })
            {
                if (!BuiltInLibraries.Ids.Contains(id)) continue;
                var loaded = BuiltInLibraries.TryLoad(id);
                if (loaded.Set is not { } set)
                {
                    Console.Error.WriteLine($"{id}: không tải được ({loaded.Errors.Count} lỗi)");
                    continue;
                }
                Bench(set, count);
            }
            return 0;
        });
        var bench = new Command("bench", "Đo hiệu năng");
        bench.Subcommands.Add(score);
        bench.Subcommands.Add(EntryBench.Command()); // issue 5: entry page render and SaveValue
        bench.Subcommands.Add(DashboardBench.Command()); // issue 7: province dashboard data (DashboardQueries)
        bench.Subcommands.Add(PublicResultsCommands.BenchRanking()); // issue 7: national ranking query (PublicResultsReader)
        return bench;
    }

    private static void Bench(CriteriaSet set, int count)
    {
        var random = new Random(20240429); // seeded: the same cohort on every run
        var units = Enumerable.Range(1, count).Select(i => RandomUnit(set, $"XA-{i:D5}", random)).ToList();
        var criteria = set.AllNodes.Count(n => !n.IsGroup);

        ScoringEngine.Score(set, units); // warm up: JIT, caches
        var times = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            var cohort = ScoringEngine.Score(set, units);
            sw.Stop();
            times.Add(sw.Elapsed.TotalMilliseconds);
            GC.KeepAlive(cohort);
        }

        var single = new List<UnitValues> { units[0] };
        ScoringEngine.Score(set, single);
        const int singleRuns = 2000;
        var swOne = Stopwatch.StartNew();
        for (var i = 0; i < singleRuns; i++) ScoringEngine.Score(set, single);
        swOne.Stop();

        var best = times.Min();
        var mean = times.Average();
        Console.WriteLine($"{set.Id}: {count:N0} đơn vị × {criteria} tiêu chí ({set.AllNodes.Count} nút), {Environment.ProcessorCount} lõi");
        Console.WriteLine($"  cả nhóm: tốt nhất {best:F1} ms, trung bình {mean:F1} ms ({string.Join(", ", times.Select(t => t.ToString("F0")))} ms)");
        Console.WriteLine($"  mỗi đơn vị trong nhóm: {best * 1000 / count:F1} µs");
        Console.WriteLine($"  một đơn vị riêng lẻ: {swOne.Elapsed.TotalMilliseconds * 1000 / singleRuns:F1} µs");
    }

    /// <summary>Plausible random figures for every value of the set: numerators at most their denominators, mostly.</summary>
    private static UnitValues RandomUnit(CriteriaSet set, string code, Random random)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var g in set.General)
        {
            general[g.Code] = g.Type switch
            {
                InputType.Text => "Văn bản",
                InputType.Date => "2024-12-01",
                InputType.Percent => Math.Round(random.NextDouble() * 100, 1),
                _ => (object)random.Next(500, 12_000),
            };
        }
        foreach (var a in set.ValueAddresses)
        {
            if (a.General is not null) continue;
            object value;
            if (a.IsList) value = Enumerable.Range(0, random.Next(3, 12)).Select(_ => random.Next(1, 6)).ToArray();
            else if (a.OptionCount > 0) value = random.Next(1, a.OptionCount + 1);
            else value = a.Type switch
            {
                InputType.Boolean => random.Next(4) > 0,
                InputType.Percent => Math.Round(random.NextDouble() * 100, 1),
                InputType.Number or InputType.Money => Math.Round(random.NextDouble() * 500, 2),
                // Keys after 'a' are usually denominators (b = total): keep them larger.
                _ => a.Key == "a" || a.Key == a.Address ? random.Next(0, 400) : random.Next(300, 800),
            };
            values[a.Address] = value;
        }
        return new UnitValues(code, values, general);
    }
}

/// <summary>Reads a values file (spec §7) into <see cref="UnitValues"/>: JSON numbers become long or decimal.</summary>
internal static class ValuesFile
{
    public static IReadOnlyList<UnitValues> Read(FileInfo file)
    {
        if (!file.Exists) throw new DomainException($"Không tìm thấy tệp số liệu '{file.FullName}'");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(file.FullName), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new DomainException($"Tệp số liệu '{file.Name}' không phải JSON hợp lệ: {ex.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("units", out var unitsElement) || unitsElement.ValueKind != JsonValueKind.Array)
                throw new DomainException("Tệp số liệu phải có dạng {\"units\":[…]}");
            RefuseDuplicateKeys(doc.RootElement, "tệp số liệu");
            var units = new List<UnitValues>();
            var index = 0;
            foreach (var u in unitsElement.EnumerateArray())
            {
                if (u.ValueKind != JsonValueKind.Object || !u.TryGetProperty("unit", out var unitCode) || unitCode.ValueKind != JsonValueKind.String)
                    throw new DomainException($"units[{index}]: thiếu mã đơn vị \"unit\"");
                RefuseDuplicateKeys(u, $"units[{index}]");
                var values = u.TryGetProperty("values", out var v) ? Map(v, $"units[{index}].values") : new Dictionary<string, object?>();
                var general = u.TryGetProperty("general", out var g) ? Map(g, $"units[{index}].general") : null;
                units.Add(new UnitValues(unitCode.GetString()!, values, general));
                index++;
            }
            return units;
        }
    }

    private static Dictionary<string, object?> Map(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new DomainException($"{path} phải là một đối tượng JSON");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            // JSON allows a repeated key and the parser keeps both: taking the last silently would score a figure nobody checked.
            if (result.ContainsKey(p.Name))
                throw new DomainException($"{path}: mã \"{p.Name}\" xuất hiện hơn một lần. Mỗi mã chỉ được nhập một giá trị.");
            result[p.Name] = Convert(p.Value, $"{path}.{p.Name}");
        }
        return result;
    }

    /// <summary>A unit's own keys ("unit", "values", "general") may not repeat either: TryGetProperty would take one of them.</summary>
    private static void RefuseDuplicateKeys(JsonElement element, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
            if (!seen.Add(p.Name))
                throw new DomainException($"{path}: khóa \"{p.Name}\" xuất hiện hơn một lần.");
    }

    private static object? Convert(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l
            : e.TryGetDecimal(out var d) ? d
            // decimal holds about ±7.9 × 10^28; GetDecimal would throw a FormatException (a stack trace) past it.
            : throw new DomainException($"{path}: giá trị {e.GetRawText()} quá lớn (tối đa khoảng ±7,9 × 10^28)."),
        // Strings are passed through so the engine reports them ("phải là số, không phải chuỗi").
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => e.EnumerateArray().Select((x, i) => Convert(x, $"{path}[{i}]")).ToList(),
        _ => e.GetRawText(),
    };
}
