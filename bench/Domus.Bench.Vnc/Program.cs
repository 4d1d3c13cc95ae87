using System.Diagnostics;
using System.Globalization;
using Domus.Bench;
using Domus.Bench.Vnc;
using Domus.Config;
using Domus.Config.Syntax;
using Domus.DeviceModels;
using Domus.DeviceModels.Native;
using Domus.DeviceModels.Qemu;
using Domus.Platform;
using Domus.Tests.Screens;

// Screens over VNC, native against QEMU, in one run (issue 6). The guest (Guests/screen.asm, booted by SeaBIOS from
// its first IDE disk) sets a 1024x768x32 Bochs VBE mode, paints a picture and then keeps changing one line. A VNC
// client (tests/Shared/RfbClient.cs) asks each screen, in raw and in ZRLE, for
//  1. the whole screen, non-incrementally, again and again: updates per second and bytes per update;
//  2. incremental updates while the line changes: updates per second and bytes per update (about one line).
// Screens: QEMU (-vga std, its accelerator chosen as domusd chooses it), domus-dm where /dev/kvm exists, and
// domus-dm's VGA and VNC server in this process with the benchmark writing the framebuffer in the guest's place.
// They alternate round by round; only the one measured runs, the others are paused.
// Usage: dotnet run -c Release --project bench/Domus.Bench.Vnc -- [--rounds N] [--seconds S] [--warm-up S] [--domus-dm PATH]
var rounds = (int)Option("--rounds", 5);
var window = TimeSpan.FromSeconds(Option("--seconds", 3));
var warmUp = TimeSpan.FromSeconds(Option("--warm-up", 1));
var domusDm = Array.IndexOf(args, "--domus-dm") is >= 0 and var at && at + 1 < args.Length ? args[at + 1] : null;
var guest = Path.Combine(AppContext.BaseDirectory, "guests", "screen.bin");
if (!File.Exists(guest))
{
    Console.Error.WriteLine($"{guest} is missing: nasm assembles it when the benchmark builds");
    return 2;
}

var work = Directory.CreateTempSubdirectory("domus-bench-vnc-").FullName;
var screens = new List<IScreenUnderTest>();
try
{
    var accelerator = await new AcceleratorProbe().ProbeAsync(CancellationToken.None);
    var qemuVersion = (await HostCommand.RunAsync(QemuCommandLine.DefaultProgram, ["--version"], CancellationToken.None)).Output.Split('\n')[0];
    Console.WriteLine($"QEMU: {qemuVersion}; accelerator {accelerator.Name} ({accelerator.Reason})");
    screens.Add(await BootAsync("QEMU", new QemuDeviceModel(), "qemu", accelerator, 1));
    if (File.Exists(NativeDeviceModel.KvmDevice))
    {
        screens.Add(await BootAsync("domus-dm", new NativeDeviceModel(domusDm), "native", new AcceleratorChoice(AcceleratorChoice.Kvm, "host", "domus-dm runs on KVM"), 2));
    }
    else
    {
        Console.WriteLine($"domus-dm: not measured, {NativeDeviceModel.KvmDevice} does not exist here and domus-dm runs guests on KVM only; the in-process row measures its VGA and VNC server without a guest");
    }

    var inProcess = await InProcessScreen.StartAsync(DomainConfigLoader.Load(new SourceText("in-process.cfg", ConfigText("native", guest), work), [], new LoadOptions()).Config);
    screens.Add(inProcess);
    await VncMeasurement.WaitForPictureAsync(inProcess.VncPort);

    int[] encodings = [RfbClient.EncodingRaw, RfbClient.EncodingZrle];
    var results = new Dictionary<(string Screen, int Encoding, UpdateKind Kind), List<UpdateFigures>>();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var screen in round % 2 == 0 ? screens : Enumerable.Reverse(screens))
        {
            await screen.ResumeAsync();
            foreach (var encoding in encodings)
            {
                foreach (var kind in new[] { UpdateKind.FullScreen, UpdateKind.OneLine })
                {
                    var figures = await VncMeasurement.MeasureAsync(screen.VncPort, encoding, kind, warmUp, window);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1} {screen.Name} {EncodingName(encoding)} {kind}: {figures.UpdatesPerSecond:F1}/s, {figures.BytesPerUpdate:F0} bytes, {figures.PixelsPerUpdate:F0} pixels"));
                    results.TryAdd((screen.Name, encoding, kind), []);
                    results[(screen.Name, encoding, kind)].Add(figures);
                }
            }

            await screen.PauseAsync();
        }
    }

    Console.WriteLine($"\n| update | encoding | screen | updates/s | bytes/update | pixels/update | updates/s / QEMU's | bytes/update / QEMU's |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (var kind in new[] { UpdateKind.FullScreen, UpdateKind.OneLine })
    {
        foreach (var encoding in encodings)
        {
            var qemu = results[("QEMU", encoding, kind)];
            foreach (var screen in screens)
            {
                var series = results[(screen.Name, encoding, kind)];
                var ratios = screen.Name == "QEMU" ? "| |"
                    : string.Create(CultureInfo.InvariantCulture, $"{Median(series, f => f.UpdatesPerSecond) / Median(qemu, f => f.UpdatesPerSecond):F2} | {Median(series, f => f.BytesPerUpdate) / Median(qemu, f => f.BytesPerUpdate):F2} |");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(kind == UpdateKind.FullScreen ? "full screen" : "one line")} | {EncodingName(encoding)} | {screen.Name} | {Median(series, f => f.UpdatesPerSecond):F1} | {Median(series, f => f.BytesPerUpdate):F0} | {Median(series, f => f.PixelsPerUpdate):F0} | {ratios}"));
            }
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"\nmedians of {rounds} rounds of {window.TotalSeconds} s (after {warmUp.TotalSeconds} s of warm-up) per cell; {ScreenPattern.Width}x{ScreenPattern.Height}x{ScreenPattern.BitsPerPixel}; {Environment.ProcessorCount} cores; kernel {HostFacts.Kernel}"));
    return 0;
}
finally
{
    foreach (var screen in screens)
    {
        await screen.DisposeAsync();
    }

    Directory.Delete(work, recursive: true);
}

// Boots the guest on a device model, waits for its picture and pauses it until its turn.
async Task<IScreenUnderTest> BootAsync(string name, IDeviceModel model, string deviceModelVersion, AcceleratorChoice accelerator, int domainId)
{
    var directory = Directory.CreateDirectory(Path.Combine(work, deviceModelVersion)).FullName;
    var image = Path.Combine(directory, "screen.img");
    File.Copy(guest, image);
    var watch = Stopwatch.StartNew();
    var screen = await DeviceModelScreen.StartAsync(name, model, ConfigText(deviceModelVersion, image), accelerator, directory, domainId);
    try
    {
        await screen.ResumeAsync();
        await VncMeasurement.WaitForPictureAsync(screen.VncPort);
        await screen.PauseAsync();
    }
    catch
    {
        await screen.DisposeAsync();
        throw;
    }

    Console.WriteLine($"{name}: the picture after {watch.Elapsed.TotalSeconds:F1} s, VNC on port {screen.VncPort}");
    return screen;
}

static string ConfigText(string deviceModelVersion, string image) =>
    $"name = 'vncbench-{deviceModelVersion}'\ndevice_model_version = '{deviceModelVersion}'\nmemory = 32\nboot = 'c'\ndisk = ['{image},raw,hda,w']\nserial = 'pty'\nvga = 'stdvga'\nvnc = 1\nvnclisten = '127.0.0.1'\nvncunused = 1\n";

static string EncodingName(int encoding) => encoding == RfbClient.EncodingZrle ? "ZRLE" : "raw";

static double Median(IEnumerable<UpdateFigures> series, Func<UpdateFigures, double> value)
{
    var measurements = new Measurements(string.Empty);
    foreach (var figures in series)
    {
        measurements.Add(value(figures));
    }

    return measurements.Median;
}

double Option(string name, double fallback) =>
    Array.IndexOf(args, name) is >= 0 and var at && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
