using System.Text;

namespace Domus.Images.Tests;

public sealed class KernelModulesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("domus-modules-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void DependenciesComeFromTheModinfoSection()
    {
        Assert.Equal(["virtio_ring", "virtio", "net_failover"], KernelModules.Dependencies(Module("virtio_ring,virtio,net_failover")));
        Assert.Empty(KernelModules.Dependencies(Module(string.Empty)));
        Assert.Empty(KernelModules.Dependencies("\0license=GPL\0"u8));
    }

    [Fact]
    public void ModulesLoadAfterWhatTheyNeedEachOnceAndDashesMatchUnderscores()
    {
        Write("drivers/net/mii.ko", string.Empty);
        Write("drivers/net/pcnet32.ko", "mii");
        Write("drivers/net/8139too.ko", "mii");
        Write("drivers/net/ne2k-pci.ko", "8390");
        Write("drivers/net/8390.ko", string.Empty);
        var modules = new KernelModules(_root.FullName);

        var order = modules.InLoadOrder(["8139too", "pcnet32", "ne2k_pci"]).Select(m => m.Name).ToList();

        Assert.Equal(["mii", "8139too", "pcnet32", "8390", "ne2k_pci"], order);
        Assert.True(modules.Has("ne2k-pci"));
        Assert.False(modules.Has("e1000"));
    }

    [Fact]
    public void AMissingOrCircularDependencyIsNamed()
    {
        Write("a.ko", "b");
        Write("b.ko", "a");
        Write("c.ko", "gone");
        var modules = new KernelModules(_root.FullName);

        Assert.Contains("in a circle: a -> b -> a", Assert.Throws<ImageBuildException>(() => modules.InLoadOrder(["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("has no module gone", Assert.Throws<ImageBuildException>(() => modules.InLoadOrder(["c"])).Message, StringComparison.Ordinal);
    }

    private static byte[] Module(string depends) => Encoding.ASCII.GetBytes($"\x7fELF...\0license=GPL\0depends={depends}\0name=x\0");

    private void Write(string path, string depends)
    {
        var file = Path.Combine(_root.FullName, "lib", "modules", "6.1.0-test", "kernel", path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, Module(depends));
    }
}
