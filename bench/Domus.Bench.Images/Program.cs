using System.Diagnostics;
using System.Globalization;
using Domus.Bench;
using Domus.Platform;
using Domus.Vmm.Backends.Disks;

// Qcow2DiskImage against QEMU's qcow2 driver (qemu-img bench) on identical fresh images, in one run:
//  1. sequential 64 KiB writes filling a fresh image (every write allocates a cluster);
//  2. sequential 64 KiB reads of it;
//  3. scattered 4 KiB reads: qemu-img bench has no random mode, so both step by a large stride modulo the disk.
// Both go through the page cache (qemu-img bench -t writeback; Qcow2DiskImage without O_DIRECT), one request at a
// time (-d 1, as an IDE drive issues them), and write the same byte (--pattern). Times exclude opening and closing
// (qemu-img bench reports the run alone); the rounds alternate which goes first.
// Usage: dotnet run -c Release --project bench/Domus.Bench.Images -- [--rounds N] [--size-mib N] [--random-reads N] [--dir DIR]
var (rounds, sizeMib, randomReads, directory) = (5, 1024, 20_000, Path.GetTempPath());
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--rounds":
            rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--size-mib":
            sizeMib = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--random-reads":
            randomReads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--dir":
            directory = args[i + 1];
            break;
        default:
            throw new ArgumentException("unknown option " + args[i]);
    }
}

const int Block = 64 << 10, Small = 4 << 10;
const byte Pattern = 0xA5;
var size = (long)sizeMib << 20;
var blocks = (int)(size / Block);
// An odd number of 4 KiB slots: the stride visits every slot before it repeats, far apart each time.
var stride = Small * 40503L;
var work = Directory.CreateDirectory(Path.Combine(directory, $"domus-bench-images-{Environment.ProcessId}")).FullName;
var series = new Dictionary<string, Measurements>();
try
{
    for (var round = -1; round < rounds; round++)
    {
        // Round -1 is not counted: it warms the page cache, the JIT and qemu-img's libraries.
        foreach (var ours in round % 2 == 0 ? new[] { true, false } : [false, true])
        {
            var image = Path.Combine(work, ours ? "ours.qcow2" : "qemu.qcow2");
            await RunAsync("qemu-img", "create", "-q", "-f", "qcow2", image, size.ToString(CultureInfo.InvariantCulture));
            var (write, read, scattered) = ours ? Ours(image) : await QemuAsync(image);
            File.Delete(image);
            if (round >= 0)
            {
                var who = ours ? "Qcow2DiskImage" : "qemu-img bench";
                Add($"{who}|write", blocks * (double)Block / (1 << 20) / write.TotalSeconds);
                Add($"{who}|read", blocks * (double)Block / (1 << 20) / read.TotalSeconds);
                Add($"{who}|scattered", randomReads * (double)Small / (1 << 20) / scattered.TotalSeconds);
            }
        }
    }

    Console.WriteLine("| measurement (median of rounds) | Qcow2DiskImage MiB/s | qemu-img bench MiB/s | ours / qemu-img |");
    Console.WriteLine("| --- | --- | --- | --- |");
    Row($"sequential 64 KiB writes filling a fresh {sizeMib} MiB image", "write");
    Row($"sequential 64 KiB reads of it", "read");
    Row($"{randomReads} scattered 4 KiB reads (stride {stride} bytes modulo the disk)", "scattered");
    var qemuVersion = (await RunAsync("qemu-img", "--version")).Split('\n')[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n{rounds} rounds; {Environment.ProcessorCount} CPUs; kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}; {qemuVersion}"));
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Add(string key, double mibPerSecond)
{
    if (!series.TryGetValue(key, out var measurements))
    {
        series[key] = measurements = new Measurements(key);
    }

    measurements.Add(mibPerSecond);
}

void Row(string name, string key)
{
    var (ours, theirs) = (series[$"Qcow2DiskImage|{key}"].Median, series[$"qemu-img bench|{key}"].Median);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ours:F0} | {theirs:F0} | {ours / theirs:F2} |"));
}

(TimeSpan Write, TimeSpan Read, TimeSpan Scattered) Ours(string image)
{
    var buffer = new byte[Block];
    Array.Fill(buffer, Pattern);
    TimeSpan write;
    using (var disk = Qcow2DiskImage.Open(image, readOnly: false))
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < blocks; i++)
        {
            disk.Write((long)i * Block, buffer);
        }

        write = clock.Elapsed;
    }

    using var reader = Qcow2DiskImage.Open(image, readOnly: true);
    var timer = Stopwatch.StartNew();
    for (var i = 0; i < blocks; i++)
    {
        reader.Read((long)i * Block, buffer);
    }

    var read = timer.Elapsed;
    if (buffer[Block - 1] != Pattern)
    {
        throw new InvalidOperationException("the image does not read back what was written");
    }

    timer.Restart();
    var offset = 0L;
    for (var i = 0; i < randomReads; i++)
    {
        reader.Read(offset, buffer.AsSpan(0, Small));
        offset = (offset + stride) % size;
    }

    return (write, read, timer.Elapsed);
}

async Task<(TimeSpan Write, TimeSpan Read, TimeSpan Scattered)> QemuAsync(string image)
{
    string[] common = ["bench", "-d", "1", "-t", "writeback", "-f", "qcow2"];
    var write = await BenchAsync([.. common, "-w", "--pattern", Pattern.ToString(CultureInfo.InvariantCulture), "-c", blocks.ToString(CultureInfo.InvariantCulture), "-s", Block.ToString(CultureInfo.InvariantCulture), "-S", Block.ToString(CultureInfo.InvariantCulture), image]);
    var read = await BenchAsync([.. common, "-c", blocks.ToString(CultureInfo.InvariantCulture), "-s", Block.ToString(CultureInfo.InvariantCulture), "-S", Block.ToString(CultureInfo.InvariantCulture), image]);
    var scattered = await BenchAsync([.. common, "-c", randomReads.ToString(CultureInfo.InvariantCulture), "-s", Small.ToString(CultureInfo.InvariantCulture), "-S", stride.ToString(CultureInfo.InvariantCulture), image]);
    return (write, read, scattered);
}

async Task<TimeSpan> BenchAsync(string[] arguments)
{
    // "Run completed in 0.051 seconds."
    var output = await RunAsync("qemu-img", arguments);
    var line = output.Split('\n').Single(l => l.StartsWith("Run completed in ", StringComparison.Ordinal));
    return TimeSpan.FromSeconds(double.Parse(line["Run completed in ".Length..].Split(' ')[0], CultureInfo.InvariantCulture));
}

static async Task<string> RunAsync(string program, params string[] arguments)
{
    var (exit, output) = await HostCommand.RunAsync(program, arguments, CancellationToken.None);
    return exit == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {output}");
}
