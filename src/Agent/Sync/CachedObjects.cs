using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sync;

/// <summary>The compiler's cache addressed by watch keys: what it holds under a key, and removing that object.</summary>
internal static class CachedObjects
{
    /// <summary>The object the compiler holds under the key (a compacted pod, a namespace, NAD or policy), or null.</summary>
    public static object? Current(IncrementalCompiler compiler, ObjectKey key) => key.Kind switch
    {
        ManifestKinds.Pod => compiler.TryGetPod($"{key.Namespace}/{key.Name}", out var pod) ? pod : null,
        ManifestKinds.Namespace => compiler.TryGetNamespace(key.Name, out var ns) ? ns : null,
        ManifestKinds.NetworkAttachmentDefinition => compiler.TryGetNetwork(new NetworkRef(key.Namespace, key.Name), out var network) ? network : null,
        ManifestKinds.MultiNetworkPolicy => compiler.TryGetPolicy(key.Namespace, key.Name, out var policy) ? policy : null,
        _ => null,
    };

    /// <summary>Removes the object under the key; a kind the compiler does not hold is ignored.</summary>
    public static void Remove(IncrementalCompiler compiler, ObjectKey key)
    {
        switch (key.Kind)
        {
            case ManifestKinds.Pod:
                compiler.RemovePod(key.Namespace, key.Name);
                break;
            case ManifestKinds.Namespace:
                compiler.RemoveNamespace(key.Name);
                break;
            case ManifestKinds.NetworkAttachmentDefinition:
                compiler.RemoveNetwork(new NetworkRef(key.Namespace, key.Name));
                break;
            case ManifestKinds.MultiNetworkPolicy:
                compiler.RemovePolicy(key.Namespace, key.Name);
                break;
        }
    }
}
