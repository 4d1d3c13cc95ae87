using System.Diagnostics;
using System.Globalization;
using Domus.Bench;
using Domus.Images;

// Domus' overhead against its anchors, in one run on one machine:
//  1. domus create -> the guest's init message, against the same QEMU command line started by hand;
//  2. domus list latency with 20 domains.
// Usage: dotnet run -c Release --project bench/Domus.Bench [-- --rounds N]
var rounds = args.Length == 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var domus = File.Exists("/usr/local/bin/domus") ? "/usr/local/bin/domus" : throw new InvalidOperationException("install Domus first: scripts/install.sh");
var image = File.Exists("/var/lib/domus/images/demo.img") ? "/var/lib/domus/images/demo.img" : throw new InvalidOperationException("build the demo image first: domus image demo");
var config = Path.GetFullPath("examples/demo.hvm");

using var host = new BenchHost(domus, daemon: null);

// Warm-up: domusd starts, probes the accelerator, and runs every path timed below twice before anything is
// timed, so that its JIT compiler (tiering methods up in the background) does not compete with the guests.
for (var round = 0; round < 2; round++)
{
    host.Run("create", config, $"disk=['file:{image},hda,r']", "name=warmup");
    await WaitForAsync(Path.Combine(host.Locations.DomainStateDirectory((await host.Client.GetAsync("warmup")).Domain.Id), "console.log"), DemoGuest.InitMessage);
    await host.Client.ActAsync("warmup", "destroy");
}

var domusToInit = new Measurements("domus create -> init message");
var qemuToInit = new Measurements("qemu-system-x86_64 by hand -> init message");
for (var round = 0; round < rounds; round++)
{
    var name = $"bench{round}";
    var watch = Stopwatch.StartNew();
    var created = host.Run("create", config, $"disk=['file:{image},hda,r']", $"name={name}");
    if (created.ExitCode != 0)
    {
        throw new InvalidOperationException(created.Output);
    }

    var id = (await host.Client.GetAsync(name)).Domain.Id;
    var consoleLog = Path.Combine(host.Locations.DomainStateDirectory(id), "console.log");
    await WaitForAsync(consoleLog, DemoGuest.InitMessage);
    domusToInit.Add(watch.Elapsed);
    var commandLine = (await File.ReadAllLinesAsync(Path.Combine(host.Locations.DomainStateDirectory(id), "device-model.log")))[0].Split(' ');
    await host.Client.ActAsync(name, "destroy");
    qemuToInit.Add(await BareQemuAsync(commandLine[1..], host.Home));
}

// Start-up alone, where Domus' own work lies: domus create -p (parse, API, checks, QEMU started paused and
// reached over QMP) against the same QEMU started by hand, paused and daemonized.
var domusReady = new Measurements("domus create -p (domain ready, paused)");
var qemuReady = new Measurements("qemu-system-x86_64 -S -daemonize by hand (ready, paused)");
for (var round = 0; round < rounds * 2; round++)
{
    var watch = Stopwatch.StartNew();
    var created = host.Run("create", "-p", config, $"disk=['file:{image},hda,r']", "name=ready");
    domusReady.Add(watch.Elapsed);
    var id = (await host.Client.GetAsync("ready")).Domain.Id;
    var commandLine = (await File.ReadAllLinesAsync(Path.Combine(host.Locations.DomainStateDirectory(id), "device-model.log")))[0].Split(' ');
    await host.Client.ActAsync("ready", "destroy");
    qemuReady.Add(await BareQemuReadyAsync(commandLine[1..], host.Home));
}

// domus list with 20 domains (paused, so that 20 emulated guests do not compete for the CPU being measured).
for (var i = 0; i < 20; i++)
{
    var created = host.Run("create", "-p", config, $"disk=['file:{image},hda,r']", $"name=listed{i}");
    if (created.ExitCode != 0)
    {
        throw new InvalidOperationException(created.Output);
    }
}

var list = new Measurements("domus list, 20 domains (process start to exit)");
var spawn = new Measurements("/bin/true (the cost of starting any process here)");
var api = new Measurements("GET /api/v1/domains, 20 domains (in-process client)");
for (var i = 0; i < 30; i++)
{
    var (exit, elapsed, output) = host.Run("list");
    if (exit != 0 || output.Split('\n').Length < 22)
    {
        throw new InvalidOperationException(output);
    }

    list.Add(elapsed);
    spawn.Add(Run("/bin/true"));
    var watch = Stopwatch.StartNew();
    await host.Client.ListAsync();
    api.Add(watch.Elapsed);
}

Console.WriteLine($"| measurement | runs | median ms | p90 ms |");
Console.WriteLine($"| --- | --- | --- | --- |");
foreach (var m in new[] { domusToInit, qemuToInit, domusReady, qemuReady, list, spawn, api })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m.Name} | {m.Count} | {m.Median:F0} | {m.P90:F0} |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nratio domus/QEMU to init (medians): {domusToInit.Median / qemuToInit.Median:F3}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Domus' own start-up work (medians): {domusReady.Median - qemuReady.Median:F0} ms, {(domusReady.Median - qemuReady.Median) / qemuToInit.Median:P1} of QEMU's time to init"));
Console.WriteLine($"accelerator: {(await host.Client.HostAsync()).Accelerator} ({(await host.Client.HostAsync()).AcceleratorReason})");
return 0;

static TimeSpan Run(string program)
{
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
    process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return watch.Elapsed;
}

static Task WaitForAsync(string file, string text) => FileText.WaitForAsync(file, text, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(5));

// The same machine as Domus started, by hand: no daemonizing, no QMP, the console into a plain file.
static async Task<TimeSpan> BareQemuAsync(string[] domusArguments, string directory)
{
    var log = Path.Combine(directory, "bare-console.log");
    File.Delete(log);
    var watch = Stopwatch.StartNew();
    using var qemu = Process.Start(BareQemu(domusArguments, directory, log, daemonized: false))!;
    await WaitForAsync(log, DemoGuest.InitMessage);
    var elapsed = watch.Elapsed;
    qemu.Kill();
    await qemu.WaitForExitAsync();
    return elapsed;
}

// QEMU as Domus starts it, paused and daemonized with a control socket, started by hand: until it is ready.
static async Task<TimeSpan> BareQemuReadyAsync(string[] domusArguments, string directory)
{
    var watch = Stopwatch.StartNew();
    using (var qemu = Process.Start(BareQemu(domusArguments, directory, Path.Combine(directory, "bare-ready.log"), daemonized: true))!)
    {
        await qemu.WaitForExitAsync();
    }

    var elapsed = watch.Elapsed;
    Process.GetProcessById(int.Parse((await File.ReadAllTextAsync(Path.Combine(directory, "bare.pid"))).Trim(), CultureInfo.InvariantCulture)).Kill();
    await Task.Delay(100);
    return elapsed;
}

// Domus' QEMU command line (program first), with the console going to a plain file; daemonized and paused
// with its own control socket and pid file, or running at once without them.
static ProcessStartInfo BareQemu(string[] domusArguments, string directory, string consoleLog, bool daemonized)
{
    var startInfo = new ProcessStartInfo(domusArguments[0]) { UseShellExecute = false, RedirectStandardError = true };
    for (var i = 1; i < domusArguments.Length; i++)
    {
        var option = domusArguments[i];
        switch (option)
        {
            case "-daemonize" or "-S" when !daemonized:
                break;
            case "-qmp" or "-pidfile" when !daemonized:
                i++;
                break;
            case "-qmp":
                startInfo.ArgumentList.Add(option);
                startInfo.ArgumentList.Add($"unix:{directory}/bare-qmp.sock,server=on,wait=off");
                i++;
                break;
            case "-pidfile":
                startInfo.ArgumentList.Add(option);
                startInfo.ArgumentList.Add(Path.Combine(directory, "bare.pid"));
                i++;
                break;
            case "-chardev":
                startInfo.ArgumentList.Add(option);
                startInfo.ArgumentList.Add($"file,id=console,path={consoleLog}");
                i++;
                break;
            default:
                startInfo.ArgumentList.Add(option);
                break;
        }
    }

    return startInfo;
}
