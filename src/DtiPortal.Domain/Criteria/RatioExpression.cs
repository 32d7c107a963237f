using System.Globalization;
using System.Text;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// A ratio or count expression over a criterion's input keys (<c>(c+d)/(a+b)</c>): numbers,
/// keys, <c>+ - * /</c> and parentheses. Parsed and bound to input positions once at load,
/// so scoring a unit is a walk over a few small nodes with no dictionary look-ups.
/// </summary>
public sealed class RatioExpression
{
    private readonly Node _root;

    private RatioExpression(string source, Node root, IReadOnlyList<string> keys)
    {
        Source = source;
        _root = root;
        Keys = keys;
        var sb = new StringBuilder();
        root.Write(sb);
        Canonical = sb.ToString();
    }

    public string Source { get; }
    /// <summary>Input keys the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> Keys { get; }
    /// <summary>Whitespace-free, fully parenthesised form; used to compare versions.</summary>
    public string Canonical { get; }
    /// <summary>True when the expression divides (a ratio), false for a plain count or sum.</summary>
    public bool HasDivision => _root.HasDivision;

    /// <summary>
    /// Parses <paramref name="source"/>; <paramref name="resolve"/> maps a key to its position in
    /// the value array given to <see cref="Evaluate"/> (or -1 when the key is not declared).
    /// </summary>
    public static RatioExpression Parse(string source, Func<string, int> resolve, out string? error)
    {
        var parser = new Parser(source, resolve);
        try
        {
            var root = parser.ParseExpression();
            parser.SkipSpaces();
            if (!parser.AtEnd) throw new FormatException($"Công thức không hợp lệ: '{source}' (ký tự thừa tại vị trí {parser.Position + 1})");
            error = parser.UnknownKeys.Count > 0
                ? string.Join("; ", parser.UnknownKeys.Select(k => $"Công thức dùng đầu vào chưa khai báo: '{k}'"))
                : null;
            return new RatioExpression(source, root, parser.Keys);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return new RatioExpression(source, new Constant(0), []);
        }
    }

    /// <summary>Evaluates over input values; a zero denominator sets <paramref name="divisionByZero"/> and yields 0.</summary>
    public decimal Evaluate(decimal[] values, ref bool divisionByZero) => _root.Eval(values, ref divisionByZero);

    /// <summary>The expression with the values substituted, for explanations: "(3+4)/(10+5)".</summary>
    public string Substitute(Func<int, string> valueText)
    {
        var sb = new StringBuilder();
        _root.Substitute(sb, valueText);
        return sb.ToString();
    }

    /// <summary>True for a plain quotient of two inputs (<c>a/b</c>): then a shortfall can be said in the numerator's unit.</summary>
    internal bool TryGetQuotient(out int numerator, out int denominator)
    {
        if (_root is Binary { Op: '/', Left: Input n, Right: Input d })
        {
            numerator = n.Index;
            denominator = d.Index;
            return true;
        }
        numerator = denominator = -1;
        return false;
    }

    public override string ToString() => Source;

    private abstract class Node
    {
        public virtual bool HasDivision => false;
        public abstract decimal Eval(decimal[] v, ref bool divZero);
        public abstract void Write(StringBuilder sb);
        public abstract void Substitute(StringBuilder sb, Func<int, string> valueText);
    }

    private sealed class Constant(decimal value) : Node
    {
        public override decimal Eval(decimal[] v, ref bool divZero) => value;
        public override void Write(StringBuilder sb) => sb.Append(value.ToString(CultureInfo.InvariantCulture));
        public override void Substitute(StringBuilder sb, Func<int, string> valueText) => sb.Append(value.ToString(CultureInfo.InvariantCulture).Replace('.', ','));
    }

    private sealed class Input(string key, int index) : Node
    {
        public int Index => index;

        public override decimal Eval(decimal[] v, ref bool divZero) => v[index];
        public override void Write(StringBuilder sb) => sb.Append(key);
        public override void Substitute(StringBuilder sb, Func<int, string> valueText) => sb.Append(valueText(index));
    }

    private sealed class Negate(Node operand) : Node
    {
        public override bool HasDivision => operand.HasDivision;
        public override decimal Eval(decimal[] v, ref bool divZero) => -operand.Eval(v, ref divZero);
        public override void Write(StringBuilder sb) { sb.Append("(-"); operand.Write(sb); sb.Append(')'); }
        public override void Substitute(StringBuilder sb, Func<int, string> valueText) { sb.Append('-'); operand.Substitute(sb, valueText); }
    }

    private sealed class Binary(char op, Node left, Node right) : Node
    {
        public char Op => op;
        public Node Left => left;
        public Node Right => right;

        public override bool HasDivision => op == '/' || left.HasDivision || right.HasDivision;

        public override decimal Eval(decimal[] v, ref bool divZero)
        {
            var l = left.Eval(v, ref divZero);
            var r = right.Eval(v, ref divZero);
            switch (op)
            {
                case '+': return l + r;
                case '-': return l - r;
                case '*': return l * r;
                default:
                    if (r == 0) { divZero = true; return 0; }
                    return l / r;
            }
        }

        public override void Write(StringBuilder sb)
        {
            sb.Append('(');
            left.Write(sb);
            sb.Append(op);
            right.Write(sb);
            sb.Append(')');
        }

        public override void Substitute(StringBuilder sb, Func<int, string> valueText)
        {
            // Parenthesise only sums inside a product or quotient: "(3+4)/(10+5)", as the texts print it.
            Wrap(sb, left, valueText, op is '*' or '/');
            sb.Append(op == '*' ? " × " : op.ToString());
            Wrap(sb, right, valueText, op is '*' or '/' || op == '-');
        }

        private static void Wrap(StringBuilder sb, Node node, Func<int, string> valueText, bool needed)
        {
            var paren = needed && node is Binary { IsSum: true };
            if (paren) sb.Append('(');
            node.Substitute(sb, valueText);
            if (paren) sb.Append(')');
        }

        private bool IsSum => op is '+' or '-';
    }

    private sealed class Parser(string text, Func<string, int> resolve)
    {
        private int _pos;

        public List<string> Keys { get; } = [];
        public List<string> UnknownKeys { get; } = [];
        public int Position => _pos;
        public bool AtEnd => _pos >= text.Length;

        public void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public Node ParseExpression()
        {
            var left = ParseTerm();
            while (true)
            {
                SkipSpaces();
                if (AtEnd || (text[_pos] != '+' && text[_pos] != '-')) return left;
                var op = text[_pos++];
                left = new Binary(op, left, ParseTerm());
            }
        }

        private Node ParseTerm()
        {
            var left = ParseFactor();
            while (true)
            {
                SkipSpaces();
                if (AtEnd || (text[_pos] != '*' && text[_pos] != '/')) return left;
                var op = text[_pos++];
                left = new Binary(op, left, ParseFactor());
            }
        }

        private Node ParseFactor()
        {
            SkipSpaces();
            if (AtEnd) throw new FormatException($"Công thức không hợp lệ: '{text}' (kết thúc đột ngột)");
            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseExpression();
                SkipSpaces();
                if (AtEnd || text[_pos] != ')') throw new FormatException($"Công thức không hợp lệ: '{text}' (thiếu dấu ')')");
                _pos++;
                return inner;
            }
            if (c == '-')
            {
                _pos++;
                return new Negate(ParseFactor());
            }
            if (char.IsDigit(c) || c == '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.')) _pos++;
                var number = text[start.._pos];
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                    throw new FormatException($"Công thức không hợp lệ: '{text}' (số '{number}')");
                return new Constant(value);
            }
            if (char.IsAsciiLetter(c))
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                var key = text[start.._pos];
                var index = resolve(key);
                if (index < 0)
                {
                    if (!UnknownKeys.Contains(key)) UnknownKeys.Add(key);
                    return new Constant(0);
                }
                if (!Keys.Contains(key)) Keys.Add(key);
                return new Input(key, index);
            }
            throw new FormatException($"Công thức không hợp lệ: '{text}' (ký tự '{c}' tại vị trí {_pos + 1})");
        }
    }
}
