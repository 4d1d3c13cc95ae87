using Domus.Config;
using Domus.Config.Model;
using Domus.Config.Syntax;

namespace Domus.Daemon.Tests;

public static class Configs
{
    public static DomainConfig From(string text) =>
        DomainConfigLoader.Load(new SourceText("t.cfg", text, "/"), [], new LoadOptions()).Config;
}
