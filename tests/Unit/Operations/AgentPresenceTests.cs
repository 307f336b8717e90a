using Mnp.Agent.Operations;

namespace Mnp.Tests.Unit.Operations;

/// <summary>The agent's presence lock: seen as held while an agent holds it, not before or after, and a second agent refused.</summary>
public sealed class AgentPresenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mnp-presence-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Held_exactly_while_an_agent_holds_it_and_a_second_agent_is_refused_in_one_line()
    {
        var path = AgentPresence.PathFor(null, _root);
        Assert.Equal($"{_root}/run/mnp/agent.lock", path);
        Assert.False(AgentPresence.IsHeld(path));

        using (AgentPresence.Acquire(path))
        {
            Assert.True(AgentPresence.IsHeld(path));
            var second = Assert.Throws<AgentPresenceException>(() => AgentPresence.Acquire(path));
            Assert.Equal($"another mnp agent runs on this node: it holds {path}", second.Message);
        }

        // The file stays; only the lock matters, so a crashed agent never blocks cleanup.
        Assert.True(File.Exists(path));
        Assert.False(AgentPresence.IsHeld(path));
        using var again = AgentPresence.Acquire(path);
        Assert.True(AgentPresence.IsHeld(path));
    }

    [Fact]
    public void A_lab_agent_has_its_own_lock_beside_the_lab_state()
    {
        var lab = AgentPresence.PathFor("l1", "/host", _root);
        using var held = AgentPresence.Acquire(lab);

        Assert.Equal(Path.Combine(_root, ".l1.agent.lock"), lab);
        Assert.False(AgentPresence.IsHeld(AgentPresence.PathFor("l2", "/host", _root)));
        Assert.False(AgentPresence.IsHeld(AgentPresence.PathFor(null, _root)));
    }
}
