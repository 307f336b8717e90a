namespace Mnp.Agent.Lab.Probe;

/// <summary>One row of <c>mnp lab probe -o json</c>: <c>{from, to, network, address, port, protocol, connected}</c>.</summary>
public sealed record ProbeResult(string From, string To, string Network, string Address, int Port, string Protocol, bool Connected);
