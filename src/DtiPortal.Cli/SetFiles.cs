using System.CommandLine;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Cli;

/// <summary>
/// Issue 14: a criteria set read from a file, YAML (dti-criteria/1) or the criteria workbook (.xlsx), for
/// <c>dti score --set-file</c> and <c>dti sets import</c>. Kept apart from the commands so that their option wiring stays small.
/// </summary>
internal static class SetFiles
{
    public static Option<FileInfo> SetFileOption() =>
        new("--set-file") { Description = "Tệp bộ chỉ số .yaml (dti-criteria/1) hoặc .xlsx (bảng tính bộ chỉ số); thay cho --set" };

    /// <summary>The set named by exactly one of <c>--set</c> (built-in id or .yaml path) and <c>--set-file</c>.</summary>
    public static CriteriaSet Resolve(ParseResult parseResult, Option<string> setOption, Option<FileInfo> setFileOption, Func<string, CriteriaSet> loadById)
    {
        var id = parseResult.GetValue(setOption);
        var file = parseResult.GetValue(setFileOption);
        return (id, file) switch
        {
            (null, null) => throw new DomainException("Cần --set MÃ hoặc --set-file TỆP"),
            (not null, not null) => throw new DomainException("Chỉ dùng một trong --set và --set-file"),
            (not null, null) => loadById(id),
            _ => LoadSet(file!),
        };
    }

    /// <summary>The YAML text of a set file: a .yaml as it is, an .xlsx read through the workbook (every problem in the message).</summary>
    public static string ReadYaml(FileInfo file)
    {
        if (!file.Exists) throw new DomainException($"Không tìm thấy tệp bộ chỉ số '{file.FullName}'");
        if (IsWorkbook(file))
        {
            using var stream = file.OpenRead();
            var result = CriteriaWorkbook.Read(stream);
            if (!result.Success)
                throw new DomainException($"{file.Name}: bảng tính có {result.Problems.Count} lỗi; không nạp gì.\n" +
                                          string.Join("\n", result.Problems.Select(p => "  " + p)));
            return result.Yaml!;
        }
        if (file.Extension.ToLowerInvariant() is ".yaml" or ".yml") return File.ReadAllText(file.FullName);
        throw new DomainException($"Tệp '{file.Name}' phải là .yaml, .yml hoặc .xlsx");
    }

    public static CriteriaSet LoadSet(FileInfo file)
    {
        var yaml = ReadYaml(file);
        var result = CriteriaSetLoader.Parse(yaml);
        return result.Set ?? throw new DomainException($"Bộ chỉ số '{file.Name}' có lỗi:\n" + string.Join("\n", result.Errors.Select(e => "  " + e)));
    }

    public static bool IsWorkbook(FileInfo file) => file.Extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase);
}
