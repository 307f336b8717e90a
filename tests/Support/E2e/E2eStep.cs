
namespace Mnp.Tests.Support.E2e;

/// <summary>One step of a case: a change to the cluster (policy add/replace/delete, relabel), then the expected truth tables.</summary>
public sealed record E2eStep(string Description, Action<TestCluster> Change, ImmutableArray<PortExpectation> Expectations);
