namespace Mnp.Policy.Netfilter;

public enum RuleTargetKind
{
    Accept,
    Drop,
    Return,
    Jump,
}
