using System.Reflection;
using System.Reflection.Emit;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// The types a compiled type uses: base type, interfaces, member signatures, attributes, locals, catch clauses and
/// every type, field and method token in its method bodies (lambdas, iterators and async state machines are nested
/// types, so they count for the type that wrote them). What the compiler resolved, whatever the source spelled: a
/// <c>global using</c> elsewhere, an alias or a short name cannot hide a reference from this.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var found = new HashSet<Type>();
        Add(found, type.BaseType);
        foreach (var item in type.GetInterfaces())
        {
            Add(found, item);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(found, attribute.AttributeType);
        }

        foreach (var field in type.GetFields(Declared))
        {
            Add(found, field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(found, property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddSignature(found, method);
            AddBody(found, method);
        }

        return found;
    }

    private static void AddSignature(HashSet<Type> found, MethodBase method)
    {
        if (method is MethodInfo info)
        {
            Add(found, info.ReturnType);
        }

        foreach (var parameter in method.GetParameters())
        {
            Add(found, parameter.ParameterType);
        }
    }

    private static void AddBody(HashSet<Type> found, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            Add(found, local.LocalType);
        }

        foreach (var clause in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause))
        {
            Add(found, clause.CatchType);
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            if (code.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                switch (member)
                {
                    case Type type:
                        Add(found, type);
                        break;
                    case FieldInfo field:
                        Add(found, field.DeclaringType);
                        Add(found, field.FieldType);
                        break;
                    case MethodBase called:
                        Add(found, called.DeclaringType);
                        AddSignature(found, called);
                        break;
                    default:
                        break;
                }
            }

            at += OperandSize(code.OperandType, il, at);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    /// <summary>The type, its element type (arrays, by-refs, pointers) and its generic arguments, recursively.</summary>
    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter || !found.Add(type))
        {
            return;
        }

        Add(found, type.GetElementType());
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
        }
    }
}
