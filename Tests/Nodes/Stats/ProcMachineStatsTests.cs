using Orchestrator.Grains.Nodes.Stats;
using Xunit;

namespace Orchestrator.Tests.Nodes.Stats;

/// <summary>Machine figures from a /proc of fixture files, and from this machine's own /proc.</summary>
public sealed class ProcMachineStatsTests : IDisposable
{
    private const string Meminfo = """
        MemTotal:        8388608 kB
        MemFree:         1048576 kB
        MemAvailable:    6291456 kB
        Buffers:          102400 kB
        """;

    private readonly string _proc = Directory.CreateTempSubdirectory("orch-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Cpu_percent_is_busy_time_over_total_time_between_two_samples()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        Write("stat", "cpu  100 0 100 700 100 0 0 0 50 0\ncpu0 50 0 50 350 50 0 0 0 25 0\nintr 1 2 3\n");
        var stats = new ProcMachineStats(_proc);
        // +300 busy (user 200, system 60, irq 20, steal 20), +100 idle, +100 iowait; guest is inside user already.
        Write("stat", "cpu  300 0 160 800 200 20 0 20 150 0\ncpu0 150 0 80 400 100 10 0 10 75 0\nintr 1 2 3\n");

        Assert.Equal(60, stats.Sample().CpuPercent);
    }

    [Fact]
    public void Memory_used_is_total_minus_available_in_megabytes()
    {
        Write("meminfo", Meminfo);

        var sample = new ProcMachineStats(_proc).Sample();

        Assert.Equal(8192, sample.MemoryTotalMb);
        Assert.Equal(2048, sample.MemoryUsedMb);
    }

    [Fact]
    public void Load_is_the_one_minute_average()
    {
        Write("loadavg", "0.52 0.58 0.59 1/389 12345\n");

        Assert.Equal(0.52, new ProcMachineStats(_proc).Sample().Load1);
    }

    [Fact]
    public void Without_a_proc_directory_every_proc_figure_is_unknown_and_nothing_throws()
    {
        var stats = new ProcMachineStats(Path.Combine(_proc, "missing"));

        var first = stats.Sample();
        var second = stats.Sample();

        foreach (var sample in new[] { first, second })
        {
            Assert.Null(sample.CpuPercent);
            Assert.Null(sample.MemoryUsedMb);
            Assert.Null(sample.MemoryTotalMb);
            Assert.Null(sample.Load1);
        }
    }

    [Fact]
    public void Free_disk_space_of_a_path_that_does_not_exist_is_unknown()
    {
        var sample = new ProcMachineStats(_proc, Path.Combine(_proc, "no", "such", "disk")).Sample();

        Assert.Null(sample.DiskFreeMb);
    }

    [Fact]
    public void Free_disk_space_is_measured_on_the_file_system_of_the_configured_path()
    {
        var sample = new ProcMachineStats(_proc, diskPath: _proc).Sample();

        Assert.True(sample.DiskFreeMb > 0, $"expected free space on the file system of {_proc}, got {sample.DiskFreeMb}");
    }

    [Fact]
    public void A_garbled_file_makes_only_its_own_figures_unknown()
    {
        Write("stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");
        Write("meminfo", "MemTotal: lots kB\nMemAvailable: 6291456 kB\n");
        Write("loadavg", "0.25 0.20 0.10 1/100 42\n");
        var stats = new ProcMachineStats(_proc);
        Write("stat", "cpu  200 0 100 800 100 0 0 0 0 0\n");

        var sample = stats.Sample();

        Assert.Null(sample.MemoryTotalMb);
        Assert.Null(sample.MemoryUsedMb);
        Assert.Equal(50, sample.CpuPercent);
        Assert.Equal(0.25, sample.Load1);
    }

    [Fact]
    public void Memory_total_is_known_when_only_available_memory_is_missing()
    {
        Write("meminfo", "MemTotal:        8388608 kB\nMemFree:         1048576 kB\n");

        var sample = new ProcMachineStats(_proc).Sample();

        Assert.Equal(8192, sample.MemoryTotalMb);
        Assert.Null(sample.MemoryUsedMb);
    }

    [Theory]
    [InlineData("cpu  a b c d\n")]
    [InlineData("intr 1 2 3\n")]
    [InlineData("")]
    public void A_garbled_stat_file_gives_no_cpu_percent(string garbled)
    {
        Write("stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");
        var stats = new ProcMachineStats(_proc);
        Write("stat", garbled);

        Assert.Null(stats.Sample().CpuPercent);
    }

    [Fact]
    public void Cpu_counters_that_go_backwards_give_no_cpu_percent()
    {
        Write("stat", "cpu  500 0 500 700 100 0 0 0 0 0\n");
        var stats = new ProcMachineStats(_proc);
        Write("stat", "cpu  100 0 100 800 100 0 0 0 0 0\n");

        Assert.Null(stats.Sample().CpuPercent);
    }

    [Fact]
    public void Cpu_percent_needs_a_baseline_so_the_first_reading_after_a_gap_is_unknown()
    {
        var stats = new ProcMachineStats(_proc);
        Write("stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");

        var first = stats.Sample();
        Write("stat", "cpu  175 0 100 725 100 0 0 0 0 0\n");
        var second = stats.Sample();

        Assert.Null(first.CpuPercent);
        Assert.Equal(75, second.CpuPercent);
    }

    [Fact]
    public void A_sample_within_the_same_clock_tick_repeats_the_last_percentage()
    {
        Write("stat", "cpu  100 0 100 700 100 0 0 0 0 0\n");
        var stats = new ProcMachineStats(_proc);
        Write("stat", "cpu  125 0 100 775 100 0 0 0 0 0\n");

        var first = stats.Sample();
        var second = stats.Sample();

        Assert.Equal(25, first.CpuPercent);
        Assert.Equal(25, second.CpuPercent);
    }

    [Fact]
    public async Task This_machine_reports_a_cpu_percent_between_0_and_100_and_its_memory()
    {
        Assert.True(Directory.Exists("/proc"), "this test needs a Linux machine with /proc");
        var stats = new ProcMachineStats();

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var sample = stats.Sample();

        Assert.NotNull(sample.CpuPercent);
        Assert.InRange(sample.CpuPercent.Value, 0, 100);
        Assert.NotNull(sample.MemoryTotalMb);
        Assert.True(sample.MemoryTotalMb > 0);
        Assert.InRange(sample.MemoryUsedMb ?? -1, 0, sample.MemoryTotalMb.Value);
        Assert.NotNull(sample.Load1);
        Assert.True(sample.DiskFreeMb > 0);
    }

    [Fact]
    public async Task Sampling_from_many_threads_at_once_stays_within_0_and_100()
    {
        var stats = new ProcMachineStats();
        await Task.Delay(TimeSpan.FromMilliseconds(50));

        var samples = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(stats.Sample)));

        Assert.All(samples, s => Assert.InRange(s.CpuPercent ?? 0, 0, 100));
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_proc, name), content);
}
