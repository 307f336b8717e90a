using System.Text.Json;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class NetworkAttachmentDefinitionParserTests
{
    private static JsonElement Nad(string? config)
    {
        var spec = config is null ? "{}" : JsonSerializer.Serialize(new Dictionary<string, string> { ["config"] = config });
        return JsonDocument.Parse($$"""{"apiVersion":"k8s.cni.cncf.io/v1","kind":"NetworkAttachmentDefinition","metadata":{"name":"net1","namespace":"x"},"spec":{{spec}}}""").RootElement;
    }

    [Fact]
    public void Single_plugin_config_gives_its_type()
    {
        var config = """{"cniVersion":"0.3.1","type":"macvlan","master":"eth1","ipam":{"type":"static"}}""";

        var parsed = NetworkAttachmentDefinitionParser.Parse(Nad(config));

        Assert.Empty(parsed.Problems);
        Assert.Equal("macvlan", parsed.Value.PluginType);
        Assert.Equal(config, parsed.Value.Config);
        Assert.Equal("x/net1", parsed.Value.Ref.ToString());
    }

    [Fact]
    public void Conflist_gives_the_first_plugin_type()
    {
        var parsed = NetworkAttachmentDefinitionParser.Parse(Nad("""{"cniVersion":"0.4.0","name":"n","plugins":[{"type":"bridge"},{"type":"tuning"}]}"""));

        Assert.Empty(parsed.Problems);
        Assert.Equal("bridge", parsed.Value.PluginType);
    }

    [Fact]
    public void Config_written_as_an_object_instead_of_a_string_is_unmanaged()
    {
        var nad = JsonDocument.Parse("""{"metadata":{"name":"net1","namespace":"x"},"spec":{"config":{"type":"macvlan"}}}""").RootElement;

        var parsed = NetworkAttachmentDefinitionParser.Parse(nad);

        Assert.Null(parsed.Value.PluginType);
        Assert.Equal("must be a string holding JSON, not an object: the network is unmanaged", Assert.Single(parsed.Problems).Message);
    }

    [Theory]
    [InlineData(null, "missing or empty: the network is unmanaged")]
    [InlineData("", "missing or empty: the network is unmanaged")]
    [InlineData("{\"type\": ", "does not parse as JSON")]
    [InlineData("{\"cniVersion\":\"0.3.1\"}", "has no \"type\": the network is unmanaged")]
    [InlineData("{\"type\":\"\"}", "has no \"type\": the network is unmanaged")]
    [InlineData("{\"plugins\":[{\"name\":\"x\"}]}", "first plugin has no \"type\": the network is unmanaged")]
    [InlineData("{\"plugins\":[]}", "has no \"type\": the network is unmanaged")]
    [InlineData("[1,2]", "has no \"type\": the network is unmanaged")]
    public void Missing_or_bad_config_is_unmanaged_and_reported(string? config, string messageStart)
    {
        var parsed = NetworkAttachmentDefinitionParser.Parse(Nad(config));

        Assert.Null(parsed.Value.PluginType);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("NetworkAttachmentDefinition", problem.Kind);
        Assert.Equal("spec.config", problem.Field);
        Assert.StartsWith(messageStart, problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("the network is unmanaged", problem.Message, StringComparison.Ordinal);
    }
}
