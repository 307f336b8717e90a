using Mnp.Agent.Lab.Probe;

namespace Mnp.Tests.Unit.Lab;

/// <summary>
/// The table of <c>matrix</c> and <c>lab probe</c> is built from one pass over the cells (it scanned every cell per
/// printed cell: O(n^4), 162 s for 300 pods). These tests check what a linear printer must still print.
/// </summary>
public sealed class ProbeTableScaleTests
{
    [Fact]
    public void Three_hundred_pods_print_every_cell_once_with_the_mark_of_all_its_probes()
    {
        const int pods = 300;
        var names = Enumerable.Range(0, pods).Select(i => $"x/p{i:D3}").ToArray();
        var results = new List<ProbeResult>();
        for (var from = 0; from < pods; from++)
        {
            for (var to = 0; to < pods; to++)
            {
                if (from != to)
                {
                    // A pair is connected when every probe of it connected: give (from+to)%3==0 one failed address of two.
                    results.Add(new ProbeResult(names[from], names[to], "x/net1", "10.0.0.1", 80, "TCP", (from + to) % 2 == 0));
                    results.Add(new ProbeResult(names[from], names[to], "x/net1", "10.0.0.2", 80, "TCP", (from + to) % 2 == 0 && (from + to) % 3 != 0));
                }
            }
        }

        var lines = ProbeOutput.ToTable(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2 + pods, lines.Length); // title, header, one row per pod
        var row = lines[2 + 7].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names[7], row[0]);
        Assert.Equal(pods, row.Length - 1);
        for (var to = 0; to < pods; to++)
        {
            var expected = to == 7 ? "-" : (7 + to) % 2 == 0 && (7 + to) % 3 != 0 ? "." : "X";
            Assert.Equal(expected, row[1 + to]);
        }

        var marks = string.Concat(lines.Skip(2).Select(l => l[names[0].Length..])).Count(c => c != ' ');
        Assert.Equal(pods * pods, marks);
    }
}
