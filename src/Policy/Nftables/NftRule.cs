namespace Mnp.Policy.Nftables;

/// <summary>One rule: every match must hold, then the verdict; the comment (rule userdata) names its origin.</summary>
public sealed record NftRule(ImmutableArray<NftMatch> Matches, NftVerdict Verdict, string? Comment = null)
{
    public bool Equals(NftRule? other) =>
        other is not null && Matches.SequenceEqual(other.Matches) && Verdict == other.Verdict && Comment == other.Comment;

    public override int GetHashCode() => HashCode.Combine(Matches.Length, Verdict, Comment);
}
