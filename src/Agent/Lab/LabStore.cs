using System.Text.Json;

namespace Mnp.Agent.Lab;

/// <summary>Lab files: <c>ROOT/NAME/state.json</c> and <c>ROOT/NAME/manifests/</c> (ROOT = /run/mnp/lab).</summary>
public sealed class LabStore(string root = LabStore.DefaultRoot)
{
    public const string DefaultRoot = "/run/mnp/lab";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Root { get; } = root;

    public string DirectoryOf(string lab) => Path.Combine(Root, lab);

    public string StatePath(string lab) => Path.Combine(DirectoryOf(lab), "state.json");

    public string ManifestsDirectory(string lab) => Path.Combine(DirectoryOf(lab), "manifests");

    public string PolicySettingsPath(string lab) => Path.Combine(DirectoryOf(lab), "policy-options.json");

    /// <summary>The settings the lab's rules are compiled with; null when none were recorded.</summary>
    public LabPolicySettings? LoadPolicySettings(string lab)
    {
        var path = PolicySettingsPath(lab);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LabPolicySettings>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new LabException($"lab {lab}: {path}: unreadable policy options: {e.Message}", e);
        }
    }

    public void SavePolicySettings(string lab, LabPolicySettings settings)
    {
        Directory.CreateDirectory(DirectoryOf(lab));
        var path = PolicySettingsPath(lab);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(settings, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public LabState? Load(string lab)
    {
        var path = StatePath(lab);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LabState>(File.ReadAllText(path), Json)
                ?? throw new LabException($"lab {lab}: {path}: empty state");
        }
        catch (JsonException e)
        {
            throw new LabException($"lab {lab}: {path}: unreadable state: {e.Message}", e);
        }
    }

    /// <summary>Writes the state atomically (temp file + rename) so a crash never leaves half a file.</summary>
    public void Save(LabState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Directory.CreateDirectory(ManifestsDirectory(state.Name));
        var path = StatePath(state.Name);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the lab's directory; false when there was none.</summary>
    public bool Delete(string lab)
    {
        var directory = DirectoryOf(lab);
        if (!Directory.Exists(directory))
        {
            return false;
        }

        Directory.Delete(directory, recursive: true);
        return true;
    }
}
