namespace Mnp.Policy.Spec;

/// <summary>apimachinery label selector operators.</summary>
public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
