using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Mnp.Native.Files;
using Mnp.Policy.Input;

namespace Mnp.Agent.Manifests;

/// <summary>
/// Reads the <c>-f</c> paths of the CLI: files as given, folders recursively (*.yaml, *.yml, *.json,
/// sorted by path so the result never depends on directory order), through <see cref="ManifestParser"/>.
/// Only regular files are read, each at most <see cref="ManifestLimits.MaxFileBytes"/> and all together at most
/// <see cref="ManifestLimits.MaxTotalBytes"/>: a named FIFO, device or socket is an error; inside a folder one is
/// skipped with a warning, and so is a dangling link. Links to directories inside a folder are not followed (a
/// folder named on the command line may itself be one), and a directory reached twice (a bind mount) is read once,
/// so the walk is linear in the folder's size whatever links it holds.
/// </summary>
internal static class ManifestLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>All objects of all paths in order, with the warnings about skipped objects and files.</summary>
    /// <exception cref="ManifestLoadException">A path does not exist, cannot be read, is past a limit, or holds a manifest that does not parse.</exception>
    public static ManifestParseResult Load(IEnumerable<string> paths) => Load(paths, ManifestLimits.MaxTotalBytes);

    /// <summary>As <see cref="Load(IEnumerable{string})"/> with another bound on the bytes of all files (tests use small ones).</summary>
    internal static ManifestParseResult Load(IEnumerable<string> paths, long maxTotalBytes)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var objects = ImmutableArray.CreateBuilder<ManifestObject>();
        var warnings = ImmutableArray.CreateBuilder<string>();
        long total = 0;
        foreach (var path in paths)
        {
            var named = !Directory.Exists(path);
            foreach (var file in named ? [path] : ManifestWalk.Files(path, Extensions, warnings))
            {
                if (ReadFile(file, named, warnings, maxTotalBytes, ref total) is not { } text)
                {
                    continue;
                }

                var parsed = Parse(text, file);
                objects.AddRange(parsed.Objects);
                warnings.AddRange(parsed.Warnings);
            }
        }

        return new ManifestParseResult(objects.ToImmutable(), warnings.ToImmutable());
    }

    /// <summary>The file's text, or null when a file found in a folder is skipped (not regular, or a dangling link).</summary>
    private static string? ReadFile(string file, bool named, ImmutableArray<string>.Builder warnings, long maxTotalBytes, ref long total)
    {
        FileStream stream;
        try
        {
            stream = RegularFile.OpenRead(file, ManifestLimits.MaxFileBytes);
        }
        catch (RegularFileException e) when (named && e.Problem == RegularFileProblem.Missing)
        {
            throw new ManifestLoadException(file, $"{file}: no such file or directory", e);
        }
        catch (RegularFileException e) when (!named && e.Problem is RegularFileProblem.NotRegular or RegularFileProblem.Missing)
        {
            warnings.Add($"{e.Message}: skipped");
            return null;
        }
        catch (RegularFileException e)
        {
            throw new ManifestLoadException(file, e.Message, e);
        }

        using (stream)
        {
            total += stream.Length;
            if (total > maxTotalBytes)
            {
                throw new ManifestLoadException(file, string.Create(
                    CultureInfo.InvariantCulture, $"{file}: the manifests add up to more than {maxTotalBytes} bytes (the limit)"));
            }

            return ReadText(stream, file);
        }
    }

    /// <summary>
    /// Decodes as File.ReadAllText does (UTF-8 unless a byte order mark says otherwise), never past the limit even
    /// when the file grows while it is read.
    /// </summary>
    private static string ReadText(FileStream stream, string file)
    {
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var text = new StringBuilder((int)Math.Min(stream.Length, ManifestLimits.MaxFileBytes));
            var buffer = new char[64 * 1024];
            int read;
            while ((read = reader.ReadBlock(buffer, 0, buffer.Length)) > 0)
            {
                if (text.Length + read > ManifestLimits.MaxFileBytes)
                {
                    throw new ManifestLoadException(file, string.Create(
                        CultureInfo.InvariantCulture, $"{file}: grew past the {ManifestLimits.MaxFileBytes} bytes a file may have (the limit) while it was read"));
                }

                text.Append(buffer, 0, read);
            }

            return text.ToString();
        }
        catch (IOException e)
        {
            throw new ManifestLoadException(file, $"{file}: cannot be read: {e.Message}", e);
        }
    }

    private static ManifestParseResult Parse(string text, string file)
    {
        try
        {
            return ManifestParser.Parse(text, file);
        }
        catch (ManifestSyntaxException e)
        {
            throw new ManifestLoadException(file, e.Message, e);
        }
    }
}
