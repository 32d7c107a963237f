using System.Globalization;
using System.Text;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// error: the value is refused where it is typed (like a part above its whole); warning: it is saved and shown, and the
/// unit must explain it (giải trình) before it can submit.
/// </summary>
public enum RuleSeverity { Error, Warning }

public enum RuleComparison { LessOrEqual, Less, GreaterOrEqual, Greater, Equal, NotEqual }

/// <summary>
/// What a rule term reads: a criterion input by its address (<c>3.1.a</c>, <c>2.2</c>) or a general-information item
/// (<c>general.population</c>). <see cref="General"/> is the item an input defaults to (or the item itself).
/// </summary>
public sealed record RuleReference(string Text, string? Address, GeneralItem? General, string Label)
{
    public bool IsGeneral => Address is null;
}

/// <summary>A signed term of one side of a rule: a reference or a number.</summary>
public sealed record RuleTerm(int Sign, RuleReference? Reference, decimal Number);

/// <summary>
/// A validation rule of a criteria set (spec §10, <c>validation_rules:</c>): two sums of inputs, general-information
/// items and numbers compared with &lt;=, &lt;, &gt;=, &gt;, = or !=. Built only by the loader, which resolves every
/// reference against the set, so evaluating a unit is a walk over a few terms.
/// </summary>
public sealed class ValidationRule
{
    internal ValidationRule(string code, string text, string message, RuleSeverity severity,
        IReadOnlyList<RuleTerm> left, RuleComparison comparison, IReadOnlyList<RuleTerm> right)
    {
        Code = code;
        Text = text;
        Message = message;
        Severity = severity;
        Left = left;
        Comparison = comparison;
        Right = right;
        References = left.Concat(right).Select(t => t.Reference).OfType<RuleReference>().DistinctBy(r => r.Text).ToList();
    }

    public string Code { get; }
    /// <summary>The rule as written (<c>6.2.c + 6.2.d &lt;= 6.2.a + 6.2.b</c>).</summary>
    public string Text { get; }
    /// <summary>What the unit is told when the rule is broken (Vietnamese).</summary>
    public string Message { get; }
    public RuleSeverity Severity { get; }
    public IReadOnlyList<RuleTerm> Left { get; }
    public RuleComparison Comparison { get; }
    public IReadOnlyList<RuleTerm> Right { get; }
    public IReadOnlyList<RuleReference> References { get; }

    public static string SeverityName(RuleSeverity s) => s == RuleSeverity.Error ? "error" : "warning";

    public static string ComparisonText(RuleComparison c) => c switch
    {
        RuleComparison.LessOrEqual => "<=",
        RuleComparison.Less => "<",
        RuleComparison.GreaterOrEqual => ">=",
        RuleComparison.Greater => ">",
        RuleComparison.Equal => "=",
        _ => "!=",
    };

    /// <summary>True when the rule reads <paramref name="address"/> (a criterion input or <c>general:CODE</c> as stored).</summary>
    public bool Reads(string address) => References.Any(r =>
        r.Address == address || (r.General is { } g && "general:" + g.Code == address));

    internal static bool Holds(decimal left, RuleComparison c, decimal right) => c switch
    {
        RuleComparison.LessOrEqual => left <= right,
        RuleComparison.Less => left < right,
        RuleComparison.GreaterOrEqual => left >= right,
        RuleComparison.Greater => left > right,
        RuleComparison.Equal => left == right,
        _ => left != right,
    };

    public override string ToString() => $"{Code}: {Text}";
}

/// <summary>A rule a unit's figures break, with both sides' values as they were compared.</summary>
public sealed record RuleViolation(ValidationRule Rule, decimal Left, decimal Right)
{
    public string Code => Rule.Code;
    public RuleSeverity Severity => Rule.Severity;
    public string Message => Rule.Message;

    /// <summary>"6.120 > 5.000": the compared sums, in Vietnamese number format, with the operator the rule wanted broken.</summary>
    public string Detail => $"{VnFormat.Number(Left)} {ValidationRules.Broken(Rule.Comparison)} {VnFormat.Number(Right)}";

    /// <summary>The whole sentence a user reads: the rule's message, the rule and the values compared.</summary>
    public string Describe() => $"{Rule.Message} (quy tắc {Rule.Code}: {Rule.Text}; {Detail})";
}

/// <summary>
/// Parses and evaluates validation rules (pure: no I/O). A rule whose references are not all entered is not evaluated:
/// a missing figure is the completeness check's business, not a rule's.
/// </summary>
public static class ValidationRules
{
    /// <summary>
    /// Parses <paramref name="text"/> against <paramref name="set"/>; on failure returns null and a Vietnamese
    /// <paramref name="error"/> naming the rule and the position (1-based character).
    /// </summary>
    public static ValidationRule? Parse(CriteriaSet set, string code, string text, string message, RuleSeverity severity, out string? error)
    {
        var addresses = set.ValueAddresses.ToDictionary(a => a.Address, StringComparer.Ordinal);
        var p = new RuleParser(text, code, addresses, set.General);
        try
        {
            var left = p.Side();
            var op = p.Operator();
            var right = p.Side();
            p.SkipSpaces();
            if (!p.AtEnd) throw p.Fail($"ký tự thừa '{p.Rest}'");
            error = null;
            return new ValidationRule(code, text.Trim(), message, severity, left, op, right);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>Every rule of the set the unit's figures break (values as in a values file, spec §7).</summary>
    public static IReadOnlyList<RuleViolation> Evaluate(CriteriaSet set, UnitValues unit) =>
        Evaluate(set.ValidationRules, r => ValueOf(r, unit));

    /// <summary>Every rule broken, reading each reference through <paramref name="value"/> (null: not entered).</summary>
    public static IReadOnlyList<RuleViolation> Evaluate(IEnumerable<ValidationRule> rules, Func<RuleReference, decimal?> value)
    {
        var broken = new List<RuleViolation>();
        foreach (var rule in rules)
        {
            if (Check(rule, value) is { } v) broken.Add(v);
        }
        return broken;
    }

    /// <summary>The violation of one rule, or null when it holds or cannot be evaluated (a figure is missing).</summary>
    public static RuleViolation? Check(ValidationRule rule, Func<RuleReference, decimal?> value)
    {
        if (Sum(rule.Left, value) is not { } left || Sum(rule.Right, value) is not { } right) return null;
        return ValidationRule.Holds(left, rule.Comparison, right) ? null : new RuleViolation(rule, left, right);
    }

    /// <summary>The operator that describes a broken rule: "a &lt;= b" broken reads "a &gt; b".</summary>
    internal static string Broken(RuleComparison c) => c switch
    {
        RuleComparison.LessOrEqual => ">",
        RuleComparison.Less => "≥",
        RuleComparison.GreaterOrEqual => "<",
        RuleComparison.Greater => "≤",
        RuleComparison.Equal => "≠",
        _ => "=",
    };

    private static decimal? Sum(IReadOnlyList<RuleTerm> terms, Func<RuleReference, decimal?> value)
    {
        decimal sum = 0;
        foreach (var t in terms)
        {
            if (t.Reference is null) sum += t.Sign * t.Number;
            else if (value(t.Reference) is { } v) sum += t.Sign * v;
            else return null;
        }
        return sum;
    }

    /// <summary>An input's value as scoring reads it: the criterion's own value, else the general item it defaults to.</summary>
    public static decimal? ValueOf(RuleReference r, UnitValues unit)
    {
        if (r.Address is { } a && unit.Values.TryGetValue(a, out var own) && Number(own) is { } n) return n;
        if (r.General is { } g && unit.General is { } general)
        {
            if (general.TryGetValue(g.Code, out var byCode) && Number(byCode) is { } c) return c;
            if (general.TryGetValue(g.Key, out var byKey) && Number(byKey) is { } k) return k;
        }
        return null;
    }

    private static decimal? Number(object? value) => value switch
    {
        int i => i,
        long l => l,
        decimal d => d,
        double x when double.IsFinite(x) => (decimal)x,
        float f when float.IsFinite(f) => (decimal)f,
        _ => null,
    };

    private sealed class RuleParser(string text, string code, Dictionary<string, ValueAddress> addresses, IReadOnlyList<GeneralItem> general)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;
        public string Rest => text[_pos..];

        public FormatException Fail(string what) =>
            new($"Quy tắc {code}: {what} tại vị trí {Math.Min(_pos, text.Length) + 1} của \"{text}\"");

        public void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public List<RuleTerm> Side()
        {
            var terms = new List<RuleTerm>();
            var sign = 1;
            SkipSpaces();
            if (_pos < text.Length && (text[_pos] == '-' || text[_pos] == '+'))
            {
                sign = text[_pos] == '-' ? -1 : 1;
                _pos++;
            }
            terms.Add(Term(sign));
            while (true)
            {
                SkipSpaces();
                if (_pos >= text.Length || (text[_pos] != '+' && text[_pos] != '-')) return terms;
                sign = text[_pos] == '-' ? -1 : 1;
                _pos++;
                terms.Add(Term(sign));
            }
        }

        public RuleComparison Operator()
        {
            SkipSpaces();
            string[] ops = ["<=", ">=", "!=", "==", "≤", "≥", "≠", "<", ">", "="];
            foreach (var op in ops)
            {
                if (string.CompareOrdinal(text, _pos, op, 0, op.Length) != 0) continue;
                _pos += op.Length;
                return op switch
                {
                    "<=" or "≤" => RuleComparison.LessOrEqual,
                    ">=" or "≥" => RuleComparison.GreaterOrEqual,
                    "!=" or "≠" => RuleComparison.NotEqual,
                    "==" or "=" => RuleComparison.Equal,
                    "<" => RuleComparison.Less,
                    _ => RuleComparison.Greater,
                };
            }
            throw Fail(AtEnd ? "thiếu phép so sánh (<=, <, >=, >, =, !=)" : $"cần phép so sánh (<=, <, >=, >, =, !=), gặp '{text[_pos]}'");
        }

        private RuleTerm Term(int sign)
        {
            SkipSpaces();
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '_' or ':')) _pos++;
            if (_pos == start)
            {
                throw Fail(AtEnd ? "thiếu một số hoặc mã ô nhập ở cuối" : $"cần một số hoặc mã ô nhập, gặp '{text[_pos]}'");
            }
            var token = text[start.._pos].TrimEnd('.');
            _pos = start + token.Length;
            if (token.StartsWith("general.", StringComparison.Ordinal) || token.StartsWith("general:", StringComparison.Ordinal))
            {
                var name = token["general.".Length..];
                var item = general.FirstOrDefault(g => g.Key == name) ?? general.FirstOrDefault(g => g.Code == name);
                if (item is null) { _pos = start; throw Fail($"không có mục thông tin chung '{name}'"); }
                if (item.Type is InputType.Text or InputType.Date) { _pos = start; throw Fail($"mục thông tin chung '{name}' không phải là số"); }
                return new RuleTerm(sign, new RuleReference(token, null, item, item.Label), 0);
            }
            if (addresses.TryGetValue(token, out var a))
            {
                if (a.IsList || a.Type == InputType.Boolean || a.OptionCount > 0)
                {
                    _pos = start;
                    throw Fail($"ô nhập '{token}' không phải là số (Có/Không, phương án hoặc danh sách), không so sánh được");
                }
                return new RuleTerm(sign, new RuleReference(token, a.Address, a.General, $"{a.Code}: {a.Label}"), 0);
            }
            if (decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return new RuleTerm(sign, null, number);
            _pos = start;
            throw Fail($"không có ô nhập '{token}' trong bộ chỉ số");
        }
    }

    /// <summary>The rule written back in canonical spacing (for the YAML writer and comparisons).</summary>
    public static string Canonical(ValidationRule rule)
    {
        var sb = new StringBuilder();
        Write(sb, rule.Left);
        sb.Append(' ').Append(ValidationRule.ComparisonText(rule.Comparison)).Append(' ');
        Write(sb, rule.Right);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, IReadOnlyList<RuleTerm> terms)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            var t = terms[i];
            if (i > 0) sb.Append(t.Sign < 0 ? " - " : " + ");
            else if (t.Sign < 0) sb.Append('-');
            sb.Append(t.Reference?.Text ?? t.Number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
