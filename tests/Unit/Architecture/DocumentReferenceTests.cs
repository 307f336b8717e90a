using Mnp.Tests.Unit.Delivery;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// No comment or document in the repository points at a <c>*.md</c> the repository does not hold, or at a section
/// (<c>§N</c>) the cited document does not have: the references once lived outside the repository, and a comment
/// citing them told a newcomer nothing.
/// </summary>
public sealed class DocumentReferenceTests : IDisposable
{
    // Built from parts, so that this file's own text cites nothing.
    private const string Md = ".md";

    private readonly string _root = Directory.CreateTempSubdirectory("mnp-docrefs-").FullName;

    [Fact]
    public void Every_cited_document_and_section_exists()
    {
        var violations = DocumentReferences.Violations(RepositoryPaths.Root);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void A_missing_document_a_missing_section_and_every_form_of_citation_are_reported()
    {
        Write(Path.Combine("docs", $"guide{Md}"), "# Guide\n\n## 1. First\n\n## 2. Second\n\n### 4. Deeper\n\nSee [other](other" + Md + ") §1 and [self](guide" + Md + ") §2.\n");
        Write(Path.Combine("docs", $"other{Md}"), "# Other\n\n## 1. Only\n");
        Write("README" + Md, "Read docs/guide" + Md + " §1, §2 and docs/other" + Md + " §1.\n");
        Write(Path.Combine("src", "A.cs"),
            $"// see semantics{Md}\n" +
            $"/// docs/guide{Md} §3 and docs/guide{Md} §1–§2, docs/guide{Md} §4, 20,000 rules\n" +
            $"// docs/guide{Md} §2 and §5\n" +
            $"// https://example.org/a/missing{Md} is an address\n" +
            $"// docs/other{Md} §2-3\n");
        Write(Path.Combine("tests", "bin", "B.cs"), $"// ignored{Md}\n");

        var violations = DocumentReferences.Violations(_root);

        var a = Path.Combine("src", "A.cs");
        Assert.Equal(
            [
                $"{a}:1: cites semantics{Md}, which is not in the repository",
                $"{a}:2: cites docs/guide{Md} §3, which has no section 3",
                $"{a}:3: cites docs/guide{Md} §5, which has no section 5",
                $"{a}:5: cites docs/other{Md} §2, which has no section 2",
                $"{a}:5: cites docs/other{Md} §3, which has no section 3",
            ],
            violations);
    }

    [Fact]
    public void A_range_names_every_section_inside_it()
    {
        Assert.Equal([12, 13, 14, 15, 16, 17], DocumentReferences.Sections("§12–§17"));
        Assert.Equal([1, 2, 5], DocumentReferences.Sections("§1-2, §5"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
