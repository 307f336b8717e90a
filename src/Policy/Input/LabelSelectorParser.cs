using System.Text.Json;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads a Kubernetes <c>LabelSelector</c> (matchLabels AND matchExpressions) from JSON with
/// apimachinery's validation. Any invalid part makes the whole selector invalid (null), as
/// apimachinery refuses to build a selector from it.
/// </summary>
public static class LabelSelectorParser
{
    /// <summary>
    /// Parses <paramref name="selector"/>, reporting problems under <paramref name="field"/> (e.g.
    /// <c>spec.podSelector</c>). Returns null when the selector is invalid. A JSON null or absent
    /// selector is the caller's business: this method treats null as invalid.
    /// </summary>
    public static LabelSelector? Parse(JsonElement selector, string field, ProblemCollector problems)
    {
        if (selector.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be a label selector object, not {Json.Describe(selector)}");
            return null;
        }

        var before = problems.Count;
        var requirements = new List<LabelRequirement>();
        if (selector.TryGetProperty("matchLabels", out var matchLabels) && matchLabels.ValueKind != JsonValueKind.Null)
        {
            ReadMatchLabels(matchLabels, $"{field}.matchLabels", problems, requirements);
        }

        if (selector.TryGetProperty("matchExpressions", out var expressions) && expressions.ValueKind != JsonValueKind.Null)
        {
            ReadMatchExpressions(expressions, $"{field}.matchExpressions", problems, requirements);
        }

        return problems.Count == before ? new LabelSelector([.. requirements]) : null;
    }

    private static void ReadMatchLabels(JsonElement matchLabels, string field, ProblemCollector problems, List<LabelRequirement> requirements)
    {
        if (matchLabels.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object of label keys to values, not {Json.Describe(matchLabels)}");
            return;
        }

        foreach (var label in matchLabels.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var labelField = $"{field}[{label.Name}]";
            if (LabelSyntax.KeyError(label.Name) is { } keyError)
            {
                problems.Add(labelField, $"invalid label key {MessageText.Quote(label.Name)}: {keyError}");
                continue;
            }

            if (label.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add(labelField, $"label value must be a string, not {Json.Describe(label.Value)}");
                continue;
            }

            var value = label.Value.GetString()!;
            if (LabelSyntax.ValueError(value) is { } valueError)
            {
                problems.Add(labelField, $"invalid label value {MessageText.Quote(value)}: {valueError}");
                continue;
            }

            requirements.Add(new LabelRequirement(label.Name, SelectorOperator.In, [value]));
        }
    }

    private static void ReadMatchExpressions(JsonElement expressions, string field, ProblemCollector problems, List<LabelRequirement> requirements)
    {
        if (expressions.ValueKind != JsonValueKind.Array)
        {
            problems.Add(field, $"must be a list, not {Json.Describe(expressions)}");
            return;
        }

        var index = 0;
        foreach (var expression in expressions.EnumerateArray())
        {
            if (ReadExpression(expression, $"{field}[{index}]", problems) is { } requirement)
            {
                requirements.Add(requirement);
            }

            index++;
        }
    }

    private static LabelRequirement? ReadExpression(JsonElement expression, string field, ProblemCollector problems)
    {
        if (expression.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object, not {Json.Describe(expression)}");
            return null;
        }

        var key = Json.OptionalString(expression, "key");
        if (key is null)
        {
            problems.Add($"{field}.key", "must be a label key string");
            return null;
        }

        if (LabelSyntax.KeyError(key) is { } keyError)
        {
            problems.Add($"{field}.key", $"invalid label key {MessageText.Quote(key)}: {keyError}");
            return null;
        }

        var operatorText = Json.OptionalString(expression, "operator");
        if (!TryParseOperator(operatorText, out var op))
        {
            problems.Add($"{field}.operator", $"unknown operator {MessageText.Quote(operatorText)}: must be In, NotIn, Exists or DoesNotExist");
            return null;
        }

        var values = ReadValues(expression, $"{field}.values", problems);
        if (values is null)
        {
            return null;
        }

        var needsValues = op is SelectorOperator.In or SelectorOperator.NotIn;
        if (needsValues && values.Value.IsEmpty)
        {
            problems.Add($"{field}.values", $"must be non-empty for operator {op}");
            return null;
        }

        if (!needsValues && !values.Value.IsEmpty)
        {
            problems.Add($"{field}.values", $"must be empty for operator {op}");
            return null;
        }

        return new LabelRequirement(key, op, values.Value);
    }

    private static ImmutableArray<string>? ReadValues(JsonElement expression, string field, ProblemCollector problems)
    {
        if (!expression.TryGetProperty("values", out var values) || values.ValueKind == JsonValueKind.Null)
        {
            return ImmutableArray<string>.Empty;
        }

        if (values.ValueKind != JsonValueKind.Array)
        {
            problems.Add(field, $"must be a list of strings, not {Json.Describe(values)}");
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{field}[{index}]", $"label value must be a string, not {Json.Describe(value)}");
                return null;
            }

            var text = value.GetString()!;
            if (LabelSyntax.ValueError(text) is { } valueError)
            {
                problems.Add($"{field}[{index}]", $"invalid label value {MessageText.Quote(text)}: {valueError}");
                return null;
            }

            result.Add(text);
            index++;
        }

        return result.ToImmutable();
    }

    private static bool TryParseOperator(string? text, out SelectorOperator op)
    {
        // Case-sensitive, as apimachinery compares operator strings exactly.
        op = text switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            _ => (SelectorOperator)(-1),
        };
        return Enum.IsDefined(op);
    }
}
