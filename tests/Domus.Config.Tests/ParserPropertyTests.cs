using System.Diagnostics;
using System.Text;
using Domus.Config.Diagnostics;
using Domus.Config.Syntax;

namespace Domus.Config.Tests;

/// <summary>
/// Feeds the loader 12,000 random and mutated configurations (and command-line overrides): it must answer each
/// with a domain or a <see cref="ConfigException"/>, never with another exception or a crash, and never hang.
/// Long operator chains are among the values, since each term of one once cost a stack frame. The seed is
/// fixed for repeatable runs; DOMUS_FUZZ_SEED picks another.
/// </summary>
public sealed class ParserPropertyTests
{
    private const int Iterations = 12_000;
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(5);

    private static readonly string[] Keys =
    [
        "name", "memory", "maxmem", "vcpus", "maxvcpus", "cpus", "boot", "kernel", "ramdisk", "cmdline", "root", "extra",
        "firmware", "disk", "cdrom", "vif", "nics", "ne2000", "serial", "sdl", "vnc", "vncviewer", "vnclisten", "vncdisplay",
        "vncunused", "vncpasswd", "keymap", "nographic", "stdvga", "vga", "videoram", "localtime", "rtc_timeoffset", "acpi",
        "apic", "pae", "usb", "usbdevice", "soundhw", "on_poweroff", "on_reboot", "on_crash", "restart", "device_model",
        "device_model_version", "device_model_override", "type", "builder", "uuid", "accel", "shadow_memory", "unknown_key",
    ];

    private static readonly string[] Atoms =
    [
        "'file:/var/images/x.img,ioemu:hda,w'", "',hdc:cdrom,r'", "'type=ioemu, bridge=xenbr0, model=ne2k_pci'", "'pty'",
        "'hvm'", "128", "0x200", "-1", "'0-3,5,^1'", "'cda'", "'127.0.0.1:1'", "''", "'destroy'", "'qemu-dm'", "arch_libdir",
        "'/usr/' + arch_libdir", "os.uname()[4]", "re.search('64', arch)", "[]", "['', 'mac=00:16:3e:00:00:01']", "'w!'",
        "'\\x41\\n'", "\"dq\"", "010", "99999999999999999999", "1.5", "None", "True", "'a' * 3", "[[[['x']]]]",
    ];

    /// <summary>A chain's first term and each further one: chains that evaluate, and chains that do not.</summary>
    private static readonly (string First, string Next)[] Chains =
    [
        ("'a'", " + 'a'"), ("[1]", " + [1]"), ("1", " - 1"), ("1", " and 1"), ("0", " or 0"), ("'a'", "[0]"), ("1", " + 'a'"),
    ];

    private static readonly string Alphabet = "abcdefghijklmnopqrstuvwxyz_0123456789 \t\n\r'\"[](),;:=+-#\\.!@$%^&*{}<>?/|~`AZé\u0000\u2028";

    [Fact]
    public async Task TheLoaderAnswersEveryInputWithAConfigOrAConfigException()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DOMUS_FUZZ_SEED"), out var s) ? s : 20261126;
        var random = new Random(seed);
        var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures")).Select(File.ReadAllText).ToArray();
        var slowest = TimeSpan.Zero;
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var text = (i % 4) switch
            {
                0 => Mutate(random, corpus[random.Next(corpus.Length)]),
                1 => Generate(random),
                2 => RandomText(random, random.Next(0, 200)),
                _ => Mutate(random, Generate(random)),
            };
            var overrides = random.Next(4) == 0 ? [Mutate(random, $"{Keys[random.Next(Keys.Length)]}={Atoms[random.Next(Atoms.Length)]}")] : Array.Empty<string>();
            var watch = Stopwatch.StartNew();
            (bool Accepted, Exception? Unexpected) outcome;
            try
            {
                outcome = await Task.Run(() => Outcome(text, overrides), TestContext.Current.CancellationToken)
                    .WaitAsync(PerInputLimit, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"seed {seed}, input {i} did not finish within {PerInputLimit}: {Show(text)} {string.Join(' ', overrides)}");
                throw;
            }

            if (outcome.Unexpected is { } unexpected)
            {
                Assert.Fail($"seed {seed}, input {i} threw {unexpected.GetType().Name}: {unexpected.Message}\n{Show(text)}\n{unexpected.StackTrace}");
            }

            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            _ = outcome.Accepted ? accepted++ : rejected++;
        }

        // Both outcomes must really occur, or the generators test nothing.
        Assert.True(accepted > Iterations / 50, $"only {accepted} inputs were valid");
        Assert.True(rejected > Iterations / 50, $"only {rejected} inputs were invalid");
        TestContext.Current.SendDiagnosticMessage($"seed {seed}: {accepted} accepted, {rejected} rejected, slowest {slowest.TotalMilliseconds:F1} ms");
    }

    private static (bool Accepted, Exception? Unexpected) Outcome(string text, string[] overrides)
    {
        try
        {
            DomainConfigLoader.Load(new SourceText("fuzz.cfg", text, "/tmp"), overrides, TestConfig.Options());
            return (true, null);
        }
        catch (ConfigException e)
        {
            return (false, e.Errors.Count == 0 ? new InvalidOperationException("a ConfigException without errors") : null);
        }
        catch (Exception e)
        {
            return (false, e);
        }
    }

    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(3) == 0)
        {
            text.Append("import os, re\narch = os.uname()[4]\nif re.search('64', arch):\n    arch_libdir = 'lib64'\nelse:\n    arch_libdir = 'lib'\n");
        }

        for (var line = random.Next(1, 12); line > 0; line--)
        {
            var value = random.Next(6) switch
            {
                0 => "[" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => Atoms[random.Next(Atoms.Length)])) + (random.Next(2) == 0 ? ",]" : "]"),
                1 => Chain(random),
                _ => Atoms[random.Next(Atoms.Length)],
            };
            text.Append(Keys[random.Next(Keys.Length)]).Append(random.Next(6) == 0 ? " += " : " = ").Append(value)
                .Append(random.Next(5) == 0 ? "; " : "\n");
        }

        return text.ToString();
    }

    /// <summary>A chain of a few terms, of about as many as the parser allows, or (rarely, as they are slow) of thousands.</summary>
    private static string Chain(Random random)
    {
        var (first, next) = Chains[random.Next(Chains.Length)];
        var terms = random.Next(10) switch
        {
            < 6 => random.Next(1, 20),
            < 9 => random.Next(Parser.MaxDepth - 5, Parser.MaxDepth + 5),
            _ => random.Next(2_000, 10_000),
        };
        return first + string.Concat(Enumerable.Repeat(next, terms));
    }

    private static string Mutate(Random random, string text)
    {
        var chars = new StringBuilder(text);
        for (var edits = random.Next(1, 8); edits > 0; edits--)
        {
            var at = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(5))
            {
                case 0 when chars.Length > 0:
                    chars.Remove(at, Math.Min(random.Next(1, 6), chars.Length - at));
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when chars.Length > 0:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 3:
                    chars.Insert(at, Atoms[random.Next(Atoms.Length)]);
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }

        return chars.ToString();
    }

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());

    private static string Show(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
