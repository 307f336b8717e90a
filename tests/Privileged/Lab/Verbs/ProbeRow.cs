namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>One entry of <c>mnp lab probe -o json</c>, as the tests read it.</summary>
internal sealed record ProbeRow(string From, string To, string Network, IPAddress Address, int Port, string Protocol, bool Connected);
