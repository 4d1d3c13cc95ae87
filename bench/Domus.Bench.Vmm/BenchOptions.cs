using System.Globalization;

namespace Domus.Bench.Vmm;

/// <summary>The benchmark's command line: rounds, and where domus-dm, QEMU and QEMU's firmware files are.</summary>
public sealed record BenchOptions(int Rounds, string DomusDm, string Qemu, string? QemuData)
{
    /// <summary>The port writes Guests/pio.asm makes between "S" and "E".</summary>
    public const int Exits = 200_000;

    public const int GuestMemoryMib = 64;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(5, "/usr/local/lib/domus/domus-dm", "qemu-system-x86_64", null);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 == args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }

            options = args[i] switch
            {
                "--rounds" => options with { Rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--domus-dm" => options with { DomusDm = args[i + 1] },
                "--qemu" => options with { Qemu = args[i + 1] },
                "--qemu-data" => options with { QemuData = args[i + 1] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
