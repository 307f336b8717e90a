using Mnp.Policy.Cluster;

namespace Mnp.Policy.Evaluation;

/// <summary>One end of a connection after resolution: the pod it is (null for a foreign address) and its address.</summary>
internal sealed record ResolvedEnd(PodInfo? Pod, IPAddress Address);
