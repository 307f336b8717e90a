using k8s.Models;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class NamespaceParserTests
{
    private static V1Namespace Namespace(Dictionary<string, string>? labels) =>
        new() { Metadata = new V1ObjectMeta { Name = "x", Labels = labels } };

    [Fact]
    public void Cluster_namespaces_keep_their_labels_as_they_are()
    {
        var info = NamespaceParser.Parse(Namespace(new() { ["team"] = "blue" }), addMetadataNameLabel: false);

        Assert.Equal("x", info.Name);
        Assert.Equal([KeyValuePair.Create("team", "blue")], info.Labels.AsEnumerable());
    }

    [Fact]
    public void Manifest_namespaces_get_the_metadata_name_label_when_absent()
    {
        var info = NamespaceParser.Parse(Namespace(null), addMetadataNameLabel: true);

        Assert.Equal("x", info.Labels[NamespaceParser.MetadataNameLabel]);
    }

    [Fact]
    public void An_explicit_metadata_name_label_is_never_overwritten()
    {
        var info = NamespaceParser.Parse(Namespace(new() { [NamespaceParser.MetadataNameLabel] = "other" }), addMetadataNameLabel: true);

        Assert.Equal("other", info.Labels[NamespaceParser.MetadataNameLabel]);
    }
}
