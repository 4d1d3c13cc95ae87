using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Domus.Bench;
using Domus.Bench.Vmm;
using Domus.Config;
using Domus.Config.Json;
using Domus.Config.Syntax;

// domus-dm against QEMU on KVM, on the same firmware image, in one run (issue 4):
//  1. process start to the guest's first instruction (its first write to the debug port), both started paused
//     and resumed over QMP as domusd does it;
//  2. resident memory of the device model while the guest runs (the guest touches almost none of its RAM);
//  3. port-I/O exits handled per second (the guest writes port 0x80 200,000 times).
// Usage: dotnet run -c Release --project bench/Domus.Bench.Vmm -- [--rounds N] [--domus-dm PATH] [--qemu PATH] [--qemu-data DIR]
var options = BenchOptions.Parse(args);
if (!File.Exists("/dev/kvm"))
{
    Console.Error.WriteLine("this benchmark needs /dev/kvm");
    return 2;
}

var firmware = Path.Combine(AppContext.BaseDirectory, "guests", "pio.bin");
if (!File.Exists(firmware))
{
    Console.Error.WriteLine($"{firmware} is missing: nasm assembles it when the benchmark builds");
    return 2;
}

var work = Directory.CreateTempSubdirectory("domus-bench-vmm-").FullName;
try
{
    var configText = $"name = 'bench'\nmemory = {BenchOptions.GuestMemoryMib}\ndevice_model_version = 'native'\nfirmware = '{firmware}'\nserial = 'pty'\nvnc = 0\nnographic = 1\n";
    var config = DomainConfigLoader.Load(new SourceText("bench.cfg", configText, work), [], new LoadOptions()).Config;
    var configFile = Path.Combine(work, "domain.json");
    await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config, DomainConfigJsonContext.Default.DomainConfig));

    var runs = new Dictionary<string, List<GuestRun>> { ["domus-dm"] = [], ["QEMU"] = [] };
    for (var round = -1; round < options.Rounds; round++)
    {
        // Round -1 warms the page cache and is not counted; the two alternate round by round.
        var native = await GuestRun.MeasureAsync(DomusDm(options.DomusDm, configFile, work), GuestRun.ReadyLine, Path.Combine(work, "control.sock"), Path.Combine(work, "firmware.log"));
        var qemu = await GuestRun.MeasureAsync(Qemu(options, firmware, work), GuestRun.ControlSocketAnswers, Path.Combine(work, "qemu-control.sock"), Path.Combine(work, "qemu-debug.log"));
        if (round >= 0)
        {
            runs["domus-dm"].Add(native);
            runs["QEMU"].Add(qemu);
        }
    }

    Console.WriteLine($"| measurement | domus-dm | QEMU | domus-dm / QEMU |");
    Console.WriteLine($"| --- | --- | --- | --- |");
    Row("process start -> ready (paused, QMP answering), median ms", r => r.Ready.TotalMilliseconds);
    Row("process start -> first guest instruction, median ms", r => r.FirstInstruction.TotalMilliseconds);
    Row("process start -> first guest instruction, p90 ms", r => r.FirstInstruction.TotalMilliseconds, 0.9);
    Row("resident memory (VmRSS), median MiB", r => r.ResidentKib / 1024.0);
    Row("anonymous resident memory (RssAnon), median MiB", r => r.AnonymousKib / 1024.0);
    Row("port-I/O exits per second, median thousands", r => BenchOptions.Exits / r.Exits.TotalSeconds / 1000);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n{options.Rounds} rounds; guest RAM {BenchOptions.GuestMemoryMib} MiB; kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}; KVM modules: {string.Join(", ", Directory.Exists("/sys/module") ? Directory.GetDirectories("/sys/module", "kvm*").Select(Path.GetFileName) : [])}"));
    return 0;

    void Row(string name, Func<GuestRun, double> value, double percentile = 0.5)
    {
        var ours = Summary(runs["domus-dm"], value, percentile);
        var theirs = Summary(runs["QEMU"], value, percentile);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ours:F1} | {theirs:F1} | {ours / theirs:F2} |"));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double Summary(IEnumerable<GuestRun> runs, Func<GuestRun, double> value, double percentile)
{
    var series = new Measurements(string.Empty);
    foreach (var run in runs)
    {
        series.Add(value(run));
    }

    return percentile >= 0.9 ? series.P90 : series.Median;
}

static ProcessStartInfo DomusDm(string program, string configFile, string work)
{
    var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var file in new[] { "control.sock", "console.sock", "firmware.log", "console.log", "dm.log", "dm.pid" })
    {
        File.Delete(Path.Combine(work, file));
    }

    string[] arguments =
    [
        "--config", configFile, "--control", Path.Combine(work, "control.sock"), "--console", Path.Combine(work, "console.sock"),
        "--console-log", Path.Combine(work, "console.log"), "--firmware-log", Path.Combine(work, "firmware.log"),
        "--log", Path.Combine(work, "dm.log"), "--pidfile", Path.Combine(work, "dm.pid"),
    ];
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    return start;
}

static ProcessStartInfo Qemu(BenchOptions options, string firmware, string work)
{
    var start = new ProcessStartInfo(options.Qemu) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    File.Delete(Path.Combine(work, "qemu-control.sock"));
    File.Delete(Path.Combine(work, "qemu-debug.log"));
    List<string> arguments =
    [
        "-machine", "pc,accel=kvm", "-cpu", "host", "-m", $"{BenchOptions.GuestMemoryMib}M", "-smp", "1",
        "-nodefaults", "-no-user-config", "-display", "none", "-bios", firmware,
        "-chardev", $"file,id=debug,path={Path.Combine(work, "qemu-debug.log")}", "-device", "isa-debugcon,iobase=0x402,chardev=debug",
        "-S", "-qmp", $"unix:{Path.Combine(work, "qemu-control.sock")},server=on,wait=off",
    ];
    if (options.QemuData is { } data)
    {
        arguments.AddRange(["-L", data]);
    }

    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    return start;
}
