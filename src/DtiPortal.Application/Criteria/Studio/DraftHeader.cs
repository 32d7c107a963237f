using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DtiPortal.Application.Criteria.Studio;

/// <summary>The header fields of a draft's YAML, read leniently: a draft may be half-written, so nothing here throws.</summary>
public sealed record DraftHeader(string SetId, int Version, string Name, string Level)
{
    public static DraftHeader Read(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return Empty;
            string Str(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value ?? "" : "";
            return new DraftHeader(Str("id"), int.TryParse(Str("version"), out var version) ? version : 0, Str("name"), Str("level"));
        }
        catch (YamlException)
        {
            return Empty;
        }
    }

    public static DraftHeader Empty { get; } = new("", 0, "", "");
}
