using System.Text.Json;
using System.Text.Json.Nodes;
using Domus.Config.Json;
using Domus.Config.Model;

namespace Domus.Config.Tests.Json;

public sealed class DomainConfigJsonReaderTests
{
    /// <summary>Every key of a domain set away from its default, so that a property the reader drops shows.</summary>
    private const string EverythingSet = """
        name = "everything"
        memory = 768
        maxmem = 1024
        vcpus = 2
        maxvcpus = 4
        cpus = ["1", "2-3"]
        kernel = "/boot/vmlinuz"
        ramdisk = "/boot/initrd.img"
        extra = "console=ttyS0 quiet"
        acpi = 0
        apic = 0
        pae = 0
        localtime = 1
        rtc_timeoffset = -3600
        disk = ["file:/srv/img/a.img,ioemu:hda,w", "file:/srv/iso/b.iso,hdc:cdrom,r", ",hdd:cdrom,r"]
        vif = ["mac=02:00:00:00:00:01,bridge=br-lan,ip=192.168.1.5 10.0.0.1,vifname=win0,rate=10Mb/s@20ms,script=vif-bridge,model=e1000",
               "type=ioemu,bridge=xenbr0,model=rtl8139"]
        serial = ["pty", "file:/tmp/com2.log"]
        vnc = 1
        vnclisten = "0.0.0.0"
        vncdisplay = 7
        vncunused = 0
        vncviewer = 1
        keymap = "de"
        stdvga = 1
        videoram = 16
        usb = 1
        usbdevice = "tablet"
        soundhw = "ac97"
        on_poweroff = "preserve"
        on_reboot = "rename-restart"
        on_crash = "coredump-restart"
        device_model_version = "native"
        """;

    [Fact]
    public void ReadsBackEverythingTheSerializerWrites()
    {
        var config = TestConfig.Load(EverythingSet);
        var json = Write(config);

        var read = DomainConfigJsonReader.Read(json, "everything.json");

        Assert.Equal(json, Write(read));
        Assert.Equal(3, read.Disks.Count);
        Assert.Equal(new RateLimit(1_250_000, 20_000), read.Vifs[0].Rate);
        Assert.Equal(["192.168.1.5", "10.0.0.1"], read.Vifs[0].Ip);
    }

    [Theory]
    [InlineData("xmexample.hvm-3.0.2")]
    [InlineData("xmexample.hvm-3.0.3")]
    [InlineData("xmexample.hvm-3.1")]
    [InlineData("xmexample.vmx-3.0.0")]
    [InlineData("xlexample.hvm")]
    public void ReadsBackXensExamples(string fixture)
    {
        var json = Write(TestConfig.LoadFixture(fixture).Config);

        Assert.Equal(json, Write(DomainConfigJsonReader.Read(json, fixture)));
    }

    [Fact]
    public void EnumSpellingsAreTheSerializers()
    {
        AssertSpellings(DomainConfigJsonContext.Default.Accelerator);
        AssertSpellings(DomainConfigJsonContext.Default.DeviceModelKind);
        AssertSpellings(DomainConfigJsonContext.Default.DiskAccess);
        AssertSpellings(DomainConfigJsonContext.Default.DiskBus);
        AssertSpellings(DomainConfigJsonContext.Default.DiskDeviceType);
        AssertSpellings(DomainConfigJsonContext.Default.DiskFormat);
        AssertSpellings(DomainConfigJsonContext.Default.LifecycleAction);
        AssertSpellings(DomainConfigJsonContext.Default.NicModel);
        AssertSpellings(DomainConfigJsonContext.Default.NicType);
        AssertSpellings(DomainConfigJsonContext.Default.VgaKind);

        static void AssertSpellings<TEnum>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<TEnum> typeInfo)
            where TEnum : struct, Enum
        {
            foreach (var value in Enum.GetValues<TEnum>())
            {
                var spelling = JsonSerializer.Serialize(value, typeInfo).Trim('"');
                Assert.Equal(spelling, JsonEnumSpelling.Of(value));
                Assert.True(JsonEnumSpelling.TryParse<TEnum>(spelling, out var parsed));
                Assert.Equal(value, parsed);
            }
        }
    }

    [Theory]
    [InlineData("$.memory_mib", null, "d.json: $: \"memory_mib\" is missing")]
    [InlineData("$.memory_mib", "\"512\"", "d.json: $.memory_mib: expected a whole number")]
    [InlineData("$.vcpus", "4294967296", "d.json: $.vcpus: expected a whole number of 32 bits")]
    [InlineData("$.acpi", "1", "d.json: $.acpi: expected true or false")]
    [InlineData("$.uuid", "\"not-a-uuid\"", "d.json: $.uuid: expected a UUID")]
    [InlineData("$.name", "null", "d.json: $.name: expected a string")]
    [InlineData("$.serial", "\"pty\"", "d.json: $.serial: expected an array")]
    [InlineData("$.vnc", "[]", "d.json: $.vnc: expected an object, found array")]
    [InlineData("$.vnc.keymap", null, "d.json: $.vnc: \"keymap\" is missing")]
    [InlineData("$.on_crash", "\"explode\"", "d.json: $.on_crash: expected one of destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart")]
    [InlineData("$.disks[1].format", "\"vmdk\"", "d.json: $.disks[1].format: expected one of raw, qcow2")]
    [InlineData("$.vifs[0].mac", "\"00:16:3e\"", "d.json: $.vifs[0].mac: expected a MAC address xx:xx:xx:xx:xx:xx")]
    [InlineData("$.cpus[1]", "2", "d.json: $.cpus[1]: expected a string")]
    public void AnUnreadablePropertyIsNamedWithItsPath(string path, string? value, string message)
    {
        var json = JsonNode.Parse(Write(TestConfig.Load(EverythingSet)))!;
        var (parent, key) = Locate(json, path);
        if (value is null)
        {
            parent.AsObject().Remove(key);
        }
        else if (parent is JsonArray array)
        {
            array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = JsonNode.Parse(value);
        }
        else
        {
            parent[key] = JsonNode.Parse(value);
        }

        var e = Assert.Throws<JsonException>(() => DomainConfigJsonReader.Read(json.ToJsonString(), "d.json"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TextThatIsNotJsonIsAnErrorNamingItsSource()
    {
        var e = Assert.Throws<JsonException>(() => DomainConfigJsonReader.Read("{\"name\": ", "/run/domus/7/domain.json"));
        Assert.StartsWith("/run/domus/7/domain.json: ", e.Message);
    }

    [Fact]
    public void PropertiesItDoesNotKnowAreIgnoredAndOptionalOnesDefault()
    {
        var json = JsonNode.Parse(Write(TestConfig.Load("name = 'small'\nvif = ['bridge=xenbr0']\n")))!.AsObject();
        json["added_later"] = 1;
        json.Remove("type");
        var vif = json["vifs"]![0]!.AsObject();
        foreach (var optional in new[] { "ip", "vifname", "rate", "script" })
        {
            vif.Remove(optional);
        }

        var read = DomainConfigJsonReader.Read(json.ToJsonString(), "d.json");

        Assert.Equal(DomainConfig.HvmType, read.Type);
        Assert.Empty(read.Vifs[0].Ip);
        Assert.Null(read.Vifs[0].Rate);
    }

    private static string Write(DomainConfig config) => JsonSerializer.Serialize(config, DomainConfigJsonContext.Default.DomainConfig);

    /// <summary>The node holding a path such as $.disks[1].format, and the last step's name or index.</summary>
    private static (JsonNode Parent, string Key) Locate(JsonNode root, string path)
    {
        var steps = path[2..].Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal).Split('.');
        var node = root;
        foreach (var step in steps[..^1])
        {
            node = int.TryParse(step, out var index) ? node[index]! : node[step]!;
        }

        return (node, steps[^1]);
    }
}
