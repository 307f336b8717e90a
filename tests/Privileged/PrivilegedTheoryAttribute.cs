namespace Mnp.Tests.Privileged;

/// <summary>A theory with the same needs as <see cref="PrivilegedFactAttribute"/>; skipped with the same reason otherwise.</summary>
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        Skip = PrivilegedFactAttribute.Why();
    }
}
