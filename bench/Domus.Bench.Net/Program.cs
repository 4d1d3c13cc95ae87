using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Domus.Bench;
using Domus.Bench.Net;
using Domus.Images;
using Domus.Platform;

// Guest-to-host TCP throughput (iperf3) of each NIC model, in one run on one machine: the guest sends to an iperf3
// server on the bridge, inside a network namespace of the benchmark's own. QEMU's models under the accelerator
// domusd chose; domus-dm's PCnet and virtio-net beside QEMU's same models, where domus-dm can run them.
// Usage (as root, Domus installed): dotnet run -c Release --project bench/Domus.Bench.Net [-- --rounds N --seconds S]
var rounds = Option("--rounds", 3);
var seconds = Option("--seconds", 5);
var domus = File.Exists("/usr/local/bin/domus") ? "/usr/local/bin/domus" : throw new InvalidOperationException("install Domus first: scripts/install.sh");
var daemon = Path.Combine(Path.GetDirectoryName(new FileInfo(domus).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? domus)!, "domusd");
var cache = Environment.GetEnvironmentVariable("DOMUS_TEST_CACHE") is { Length: > 0 } c ? c : "/var/tmp/domus-test-cache";
var (kernel, initrd) = await IperfGuest.BuildAsync(cache, CancellationToken.None);

var ns = $"domus-bench-{Environment.ProcessId}";
Ip("netns", "add", ns);
try
{
    var launcher = Path.Combine(Path.GetTempPath(), $"{ns}-domusd");
    await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec ip netns exec {ns} {daemon} \"$@\"\n");
    File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    using var host = new BenchHost(domus, launcher);
    Check(host.Run("network", "create", "benchbr0", "--address", "10.92.0.1/24", "--dhcp"));
    var info = host.Run("info").Output;
    Console.WriteLine(info.Split('\n').FirstOrDefault(l => l.StartsWith("accelerator", StringComparison.Ordinal)));

    // domus-dm boots a whole Linux only on hardware KVM (a software-emulated KVM stops its early boot).
    var native = HostFacts.HardwareKvm;
    string[] qemuModels = ["pcnet", "e1000", "rtl8139", "virtio-net"], nativeModels = native ? ["pcnet", "virtio-net"] : [];
    var results = new List<(string DeviceModel, string Model, Measurements Mbits)>();
    foreach (var (deviceModel, model) in qemuModels.Select(m => ("qemu", m)).Concat(nativeModels.Select(m => ("native", m))))
    {
        var mbits = new Measurements($"{deviceModel} {model}");
        for (var round = 0; round < rounds; round++)
        {
            mbits.Add(await MeasureAsync(host, ns, deviceModel, model, kernel, initrd, seconds));
        }

        results.Add((deviceModel, model, mbits));
    }

    if (!native)
    {
        Console.WriteLine("domus-dm: not measured, KVM here is not hardware-assisted (kvm_intel/kvm_amd are not loaded) and domus-dm boots a whole Linux only on hardware KVM");
    }

    double QemuMedian(string model) => results.Single(r => r.DeviceModel == "qemu" && r.Model == model).Mbits.Median;
    var table = new StringBuilder("| device model | NIC model | runs | median Mbit/s | p90 Mbit/s | ratio to QEMU virtio-net | ratio to QEMU's same model |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    foreach (var (deviceModel, model, mbits) in results)
    {
        var sameModel = deviceModel == "qemu" ? "" : (mbits.Median / QemuMedian(model)).ToString("F2", CultureInfo.InvariantCulture);
        table.Append(CultureInfo.InvariantCulture, $"| {deviceModel} | {model} | {mbits.Count} | {mbits.Median:F0} | {mbits.P90:F0} | {mbits.Median / QemuMedian("virtio-net"):F2} | {sameModel} |\n");
    }

    Console.Write(table);
}
finally
{
    foreach (var pid in (await HostCommand.RunAsync("ip", ["netns", "pids", ns], CancellationToken.None)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
    {
        Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture)).Kill();
    }

    Ip("netns", "del", ns);
}

// One boot of the guest with one device model and NIC model: it gets its address, then sends to the server for the given time.
static async Task<double> MeasureAsync(BenchHost host, string ns, string deviceModel, string model, string kernel, string initrd, int seconds)
{
    var name = $"iperf-{deviceModel}-{model}";
    Check(host.Run("create", "-p", Path.GetFullPath("examples/demo.hvm"), $"name={name}", "disk=[]", $"kernel={kernel}", $"ramdisk={initrd}",
        "cmdline='console=ttyS0,115200 quiet'", "memory=512", $"vif=['bridge=benchbr0,model={model}']", $"device_model_version='{deviceModel}'", "vnc=0", "nographic=1"));
    using var console = await host.Client.ConnectConsoleAsync(name, history: true);
    await host.Client.ActAsync(name, "unpause");
    await ConsoleText.WaitForAsync(console, DemoGuest.AddressMessage("eth0", "10.92.0."), TimeSpan.FromSeconds(120));

    var server = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "iperf3", "-s", "-1", "-J", "-B", "10.92.0.1"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
    await Task.Delay(300);
    await ConsoleText.SendLineAsync(console, $"iperf3 -c 10.92.0.1 -t {seconds} >/dev/null 2>&1; echo iperf-done");
    var report = await server.StandardOutput.ReadToEndAsync();
    await server.WaitForExitAsync();
    await host.Client.ActAsync(name, "destroy");
    var bits = JsonNode.Parse(report)?["end"]?["sum_received"]?["bits_per_second"]?.GetValue<double>()
        ?? throw new InvalidOperationException($"iperf3 gave no result for {deviceModel} {model}: {report}");
    Console.Error.WriteLine($"{deviceModel} {model}: {bits / 1e6:F0} Mbit/s");
    return bits / 1e6;
}

static void Check((int ExitCode, TimeSpan Elapsed, string Output) run)
{
    if (run.ExitCode != 0)
    {
        throw new InvalidOperationException(run.Output);
    }
}

static void Ip(params string[] arguments) => HostCommand.RunAsync("ip", arguments, CancellationToken.None).GetAwaiter().GetResult();

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is >= 0 and var at && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
