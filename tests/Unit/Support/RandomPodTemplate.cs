using Mnp.Policy.Cluster;

namespace Mnp.Tests.Unit.Support;

/// <summary>What <see cref="RandomClusters"/> draws for one pod before addresses are assigned.</summary>
internal sealed record RandomPodTemplate(int Namespace, ImmutableArray<(string Key, string Value)> Labels, bool Running, bool OnNet2, ImmutableArray<ContainerPort> Ports);
