namespace Mnp.Policy.Input;

/// <summary>The supported objects of a manifest, in file order, and warnings about what was skipped.</summary>
public sealed record ManifestParseResult(ImmutableArray<ManifestObject> Objects, ImmutableArray<string> Warnings);
