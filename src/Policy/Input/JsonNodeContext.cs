using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mnp.Policy.Input;

/// <summary>Source-generated serialisation of JSON nodes, so turning a node into an element needs no reflection.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : JsonSerializerContext;
