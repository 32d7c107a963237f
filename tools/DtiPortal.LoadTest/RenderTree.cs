using System.Buffers.Binary;
using System.Text;

namespace DtiPortal.LoadTest;

/// <summary>
/// The browser side of Blazor's render batches, reduced to what a load generator needs: a logical tree per component
/// (elements with their attributes and event handler ids, text, child components) kept up to date by the edits, so the
/// current handler id of a field's input/blur events and the texts the page shows can be read at any time.
/// The binary layout is the server's RenderBatchWriter's: diffs, reference frames (20 bytes each), disposed ids, the
/// string table (7-bit length-prefixed UTF-8), and five int32 offsets at the end.
/// </summary>
internal sealed class RenderTree
{
    private readonly Dictionary<int, Node> _components = [];
    private readonly Dictionary<int, int> _renders = [];

    /// <summary>How many times a component has rendered (diffs received for it): more than once, the server keeps its previous frames too.</summary>
    public int Renders(int componentId) => _renders.GetValueOrDefault(componentId);

    /// <summary>Called with every text a batch inserts or changes (the save indicator's "Đã lưu…").</summary>
    public Action<string>? OnText { get; set; }

    public sealed class Node
    {
        public NodeKind Kind { get; init; }
        public string? Name { get; init; }
        public string? Text { get; set; }
        public int ComponentId { get; init; }
        /// <summary>The component that rendered this node (the event's eventFieldInfo.componentId).</summary>
        public int OwnerComponentId { get; init; }
        public Node? Parent { get; set; }
        public List<Node> Children { get; } = [];
        public Dictionary<string, (string? Value, ulong HandlerId)> Attributes { get; } = new(StringComparer.Ordinal);

        public string? Attribute(string name) => Attributes.TryGetValue(name, out var a) ? a.Value : null;
        public ulong Handler(string name) => Attributes.TryGetValue(name, out var a) ? a.HandlerId : 0;
    }

    public enum NodeKind { Root, Element, Text, Markup, Component }

    public void Apply(byte[] batch)
    {
        var r = new BatchReader(batch);
        var frames = r.Int(batch.Length - 16);
        var updated = r.Int(batch.Length - 20);
        var count = r.Int(updated);
        for (var i = 0; i < count; i++)
        {
            var diff = r.Int(updated + 4 + 4 * i);
            var componentId = r.Int(diff);
            _renders[componentId] = _renders.GetValueOrDefault(componentId) + 1;
            var edits = diff + 4;
            var editCount = r.Int(edits);
            ApplyEdits(r, componentId, edits + 4, editCount, frames + 4);
        }
        var disposed = r.Int(batch.Length - 12);
        var disposedCount = r.Int(disposed);
        for (var i = 0; i < disposedCount; i++) _components.Remove(r.Int(disposed + 4 + 4 * i));
    }

    /// <summary>Every element in the tree, depth first from each component root.</summary>
    public IEnumerable<Node> Elements()
    {
        foreach (var root in _components.Values.ToList())
        {
            var stack = new Stack<Node>([root]);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (n.Kind == NodeKind.Element) yield return n;
                for (var i = n.Children.Count - 1; i >= 0; i--)
                    if (n.Children[i].Kind != NodeKind.Component) stack.Push(n.Children[i]);
            }
        }
    }

    /// <summary>
    /// Roughly how many render-tree frames each component keeps (elements, text, markup, child components and attributes it
    /// renders itself): what DTI_BENCH_FRAMES=1 prints, largest first, to find the components whose buffers dominate a circuit.
    /// </summary>
    public IEnumerable<(int ComponentId, int Frames, string FirstElement)> FramesPerComponent()
    {
        foreach (var (id, root) in _components.ToList())
        {
            int frames = 0;
            string? first = null;
            var stack = new Stack<Node>(root.Children);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                frames += 1 + n.Attributes.Count;
                if (n.Kind == NodeKind.Element) first ??= n.Name + (n.Attribute("class") is { } c ? "." + c : "") + (n.Attribute("data-testid") is { } t ? "#" + t : "");
                if (n.Kind != NodeKind.Component)
                    foreach (var c in n.Children) stack.Push(c);
            }
            yield return (id, frames, first ?? "");
        }
    }

    /// <summary>A component's frames as an indented outline (DTI_BENCH_FRAMES=2): one line per element, text, markup or child
    /// component, its attributes on the same line, to see where a component's frames go.</summary>
    public string Outline(int componentId)
    {
        var sb = new StringBuilder();
        void Walk(Node n, int depth)
        {
            var text = n.Text is { } t ? (t.Length > 60 ? t[..60] + "…" : t).Replace("\n", " ") : "";
            sb.Append(new string(' ', 2 * depth)).Append(n.Kind).Append(' ').Append(n.Name).Append(' ').Append(text);
            foreach (var (k, v) in n.Attributes) sb.Append(" [").Append(k).Append(v.HandlerId != 0 ? "=handler" : "").Append(']');
            sb.AppendLine();
            if (n.Kind != NodeKind.Component) foreach (var c in n.Children) Walk(c, depth + 1);
        }
        if (_components.TryGetValue(componentId, out var root)) foreach (var c in root.Children) Walk(c, 0);
        return sb.ToString();
    }

    public Node? FindByTestId(string testId) => Elements().FirstOrDefault(e => e.Attribute("data-testid") == testId);

    /// <summary>All the text under a node, child components included.</summary>
    public string TextOf(Node node)
    {
        var sb = new StringBuilder();
        void Walk(Node n)
        {
            if (n.Kind is NodeKind.Text or NodeKind.Markup) sb.Append(n.Text);
            if (n.Kind == NodeKind.Component && _components.TryGetValue(n.ComponentId, out var c)) Walk(c);
            foreach (var child in n.Children) Walk(child);
        }
        Walk(node);
        return sb.ToString();
    }

    private Node RootOf(int componentId)
    {
        if (!_components.TryGetValue(componentId, out var root))
            _components[componentId] = root = new Node { Kind = NodeKind.Root, ComponentId = componentId, OwnerComponentId = componentId };
        return root;
    }

    private void ApplyEdits(BatchReader r, int componentId, int editsStart, int editCount, int framesStart)
    {
        var parent = RootOf(componentId);
        List<(int From, int To)>? permutations = null;
        for (var i = 0; i < editCount; i++)
        {
            var edit = editsStart + 16 * i;
            var type = r.Int(edit);
            var sibling = r.Int(edit + 4);
            var frameIndex = r.Int(edit + 8);
            switch (type)
            {
                case 1: // prependFrame
                    Insert(r, componentId, parent, sibling, framesStart, frameIndex);
                    break;
                case 2: // removeFrame
                    if (sibling < parent.Children.Count) parent.Children.RemoveAt(sibling);
                    break;
                case 3: // setAttribute
                    {
                        var element = parent.Children[sibling];
                        var frame = framesStart + 20 * frameIndex;
                        element.Attributes[r.String(r.Int(frame + 4))!] = (r.String(r.Int(frame + 8)), r.ULong(frame + 12));
                        break;
                    }
                case 4: // removeAttribute
                    parent.Children[sibling].Attributes.Remove(r.String(r.Int(edit + 12))!);
                    break;
                case 5: // updateText
                case 8: // updateMarkup
                    {
                        var node = parent.Children[sibling];
                        node.Text = r.String(r.Int(framesStart + 20 * frameIndex + 4));
                        if (node.Text is { Length: > 0 } t) OnText?.Invoke(t);
                        break;
                    }
                case 6: // stepIn
                    parent = parent.Children[sibling];
                    break;
                case 7: // stepOut
                    parent = parent.Parent ?? parent;
                    break;
                case 9: // permutationListEntry: move the node at sibling to frameIndex (moveToSiblingIndex)
                    (permutations ??= []).Add((sibling, frameIndex));
                    break;
                case 10: // permutationListEnd
                    if (permutations is { Count: > 0 })
                    {
                        var moved = permutations.Select(p => (p.To, Node: parent.Children[p.From])).ToList();
                        foreach (var (to, node) in moved) parent.Children[to] = node;
                        permutations.Clear();
                    }
                    break;
            }
        }
    }

    /// <summary>Inserts the frame's subtree at <paramref name="index"/>; returns how many logical children it added (regions add theirs).</summary>
    private int Insert(BatchReader r, int componentId, Node parent, int index, int framesStart, int frameIndex)
    {
        var frame = framesStart + 20 * frameIndex;
        switch (r.Int(frame))
        {
            case 1: // element: its attribute frames, then its children
                {
                    var end = frameIndex + r.Int(frame + 4);
                    var element = new Node { Kind = NodeKind.Element, Name = r.String(r.Int(frame + 8)), Parent = parent, OwnerComponentId = componentId };
                    parent.Children.Insert(Math.Min(index, parent.Children.Count), element);
                    var i = frameIndex + 1;
                    for (; i < end && r.Int(framesStart + 20 * i) == 3; i++)
                    {
                        var a = framesStart + 20 * i;
                        element.Attributes[r.String(r.Int(a + 4))!] = (r.String(r.Int(a + 8)), r.ULong(a + 12));
                    }
                    InsertRange(r, componentId, element, 0, framesStart, i, end);
                    return 1;
                }
            case 2: // text
            case 8: // markup
                {
                    var text = r.String(r.Int(frame + 4));
                    parent.Children.Insert(Math.Min(index, parent.Children.Count),
                        new Node { Kind = r.Int(frame) == 2 ? NodeKind.Text : NodeKind.Markup, Text = text, Parent = parent, OwnerComponentId = componentId });
                    if (text is { Length: > 0 }) OnText?.Invoke(text);
                    return 1;
                }
            case 4: // component: a placeholder; the child's own diffs fill it
                {
                    var child = r.Int(frame + 8);
                    parent.Children.Insert(Math.Min(index, parent.Children.Count),
                        new Node { Kind = NodeKind.Component, ComponentId = child, Parent = parent, OwnerComponentId = componentId });
                    return 1;
                }
            case 5: // region: its children become the parent's
                return InsertRange(r, componentId, parent, index, framesStart, frameIndex + 1, frameIndex + r.Int(frame + 4));
            default: // attribute (handled by its element), reference captures, named events, render modes: nothing in the tree
                return 0;
        }
    }

    private int InsertRange(BatchReader r, int componentId, Node parent, int index, int framesStart, int from, int endExclusive)
    {
        var added = 0;
        for (var i = from; i < endExclusive; i++)
        {
            var frame = framesStart + 20 * i;
            added += Insert(r, componentId, parent, index + added, framesStart, i);
            var type = r.Int(frame);
            if (type is 1 or 4 or 5) i += r.Int(frame + 4) - 1; // skip the subtree just inserted
        }
        return added;
    }

    private readonly struct BatchReader(byte[] data)
    {
        private readonly int _strings = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 4));

        public int Int(int position) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(position));

        public ulong ULong(int position) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(position));

        public string? String(int index)
        {
            if (index < 0) return null;
            var position = Int(_strings + 4 * index);
            int length = 0, shift = 0;
            while (true)
            {
                var b = data[position++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80) break;
                shift += 7;
            }
            return Encoding.UTF8.GetString(data, position, length);
        }
    }
}
