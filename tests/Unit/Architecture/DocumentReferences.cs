using System.Text.RegularExpressions;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// Finds every <c>*.md</c> that a file of the repository cites (a comment, a doc, a manifest's comment) and the
/// sections (<c>§N</c>, <c>§N–§M</c>, <c>§N, §M</c>, <c>§N and §M</c>) written right after it, and reports each
/// citation of a document the repository does not hold and each section the cited document has no heading for
/// (<c>## N. Title</c>). A name resolves against the citing file's folder, then the repository root, so a path
/// from the root (<c>docs/native.md</c>) in the sources and a bare name in a link between two docs both work;
/// a name inside an address (after a <c>/</c> or <c>:</c>) is not a citation.
/// </summary>
internal static partial class DocumentReferences
{
    /// <summary>The folders and top-level files whose text is scanned.</summary>
    public static readonly string[] ScannedRoots =
        ["src", "tests", "deploy", "docs", "scripts", "must-gather", "bench", "examples", "README.md", "Dockerfile.build"];

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", ".git", "TestResults" };

    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".gif", ".dll", ".so", ".pdb" };

    /// <summary>One line per broken citation, as <c>path:line: message</c> with the path relative to <paramref name="root"/>.</summary>
    public static List<string> Violations(string root)
    {
        var sections = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var file in ScannedFiles(root))
        {
            var lines = File.ReadAllLines(file);
            for (var index = 0; index < lines.Length; index++)
            {
                foreach (Match citation in Citation().Matches(lines[index]))
                {
                    var where = $"{Path.GetRelativePath(root, file)}:{index + 1}";
                    var cited = Resolve(root, file, citation.Groups["path"].Value);
                    if (cited is null)
                    {
                        violations.Add($"{where}: cites {citation.Groups["path"].Value}, which is not in the repository");
                        continue;
                    }

                    if (!sections.TryGetValue(cited, out var headings))
                    {
                        sections[cited] = headings = Headings(cited);
                    }

                    foreach (var section in Sections(citation.Groups["sections"].Value).Where(s => !headings.Contains(s)))
                    {
                        violations.Add($"{where}: cites {citation.Groups["path"].Value} §{section}, which has no section {section}");
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>The section numbers of a citation's tail: each number, and every number inside a range.</summary>
    public static IEnumerable<int> Sections(string tail)
    {
        foreach (Match part in SectionPart().Matches(tail))
        {
            var first = int.Parse(part.Groups["first"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var last = part.Groups["last"].Success ? int.Parse(part.Groups["last"].Value, System.Globalization.CultureInfo.InvariantCulture) : first;
            for (var n = first; n <= Math.Max(first, last); n++)
            {
                yield return n;
            }
        }
    }

    private static IEnumerable<string> ScannedFiles(string root)
    {
        foreach (var entry in ScannedRoots.Select(r => Path.Combine(root, r)))
        {
            if (File.Exists(entry))
            {
                yield return entry;
            }
            else if (Directory.Exists(entry))
            {
                foreach (var file in Walk(entry))
                {
                    yield return file;
                }
            }
        }
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!BinaryExtensions.Contains(Path.GetExtension(file)))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (!SkippedFolders.Contains(Path.GetFileName(sub)) && new DirectoryInfo(sub).LinkTarget is null)
            {
                foreach (var file in Walk(sub))
                {
                    yield return file;
                }
            }
        }
    }

    private static string? Resolve(string root, string citingFile, string path)
    {
        var fullRoot = Path.GetFullPath(root);
        foreach (var candidate in new[] { Path.Combine(Path.GetDirectoryName(citingFile)!, path), Path.Combine(root, path) })
        {
            var full = Path.GetFullPath(candidate);
            var inside = full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (inside && File.Exists(full))
            {
                return full;
            }
        }

        return null;
    }

    private static HashSet<int> Headings(string document) =>
    [
        .. File.ReadAllLines(document)
            .Select(line => Heading().Match(line))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>A document name not glued to a longer path or address, then the sections written after it (after a link's closing parenthesis too).</summary>
    [GeneratedRegex(@"(?<![\w./:\\-])(?<path>(?:[\w.-]+/)*[\w-]+\.md)(?![\w/])(?:\)?\s*(?<sections>§\d+(?:\s*[–-]\s*§?\d+|\s*(?:,|and)\s*§\d+)*))?")]
    private static partial Regex Citation();

    [GeneratedRegex(@"§?(?<first>\d+)(?:\s*[–-]\s*§?(?<last>\d+))?")]
    private static partial Regex SectionPart();

    [GeneratedRegex(@"^#{1,6}\s+(?<number>\d+)\.\s")]
    private static partial Regex Heading();
}
