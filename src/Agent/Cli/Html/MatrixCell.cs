namespace Mnp.Agent.Cli.Html;

/// <summary>
/// One cell of an HTML matrix: a connection from <see cref="From"/> to <see cref="To"/>'s <see cref="Address"/>,
/// <see cref="Allowed"/> (predicted by the engine, or observed by a probe), <see cref="Why"/> the one-line
/// explanation per direction, <see cref="Trace"/> the full trace text, and <see cref="Expected"/> the engine's
/// verdict when the cell shows an observation (null when the cell is the prediction itself).
/// </summary>
internal sealed record MatrixCell(
    string From,
    string To,
    string Network,
    string Address,
    int Port,
    string Protocol,
    bool Allowed,
    IReadOnlyList<string> Why,
    string Trace,
    bool? Expected = null);
