using Domus.Platform;
using Domus.Api;
using Domus.Config.Model;
using Domus.Daemon;
using Domus.Daemon.Api;
using Domus.Daemon.Configs;
using Domus.Daemon.Domains;
using Domus.Daemon.Host;
using Domus.Daemon.Images;
using Domus.Daemon.Networks;
using Domus.Daemon.Store;
using Domus.Daemon.Tasks;
using Domus.DeviceModels;
using Domus.DeviceModels.Native;
using Domus.DeviceModels.Qemu;
using Domus.Web;

DaemonOptions options;
try
{
    options = DaemonOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var locations = DomusLocations.FromEnvironment(Environment.GetEnvironmentVariable);
try
{
    Directory.CreateDirectory(locations.StateDirectory);
    Directory.CreateDirectory(locations.RuntimeDirectory);
    if (await UnixSocket.AnswersAsync(locations.DaemonSocket))
    {
        Console.Error.WriteLine($"domusd: already running on {locations.DaemonSocket}");
        return 1;
    }
}
catch (Exception e) when (e is UnauthorizedAccessException or IOException)
{
    Console.Error.WriteLine($"domusd: {e.Message} (run as root, or set {DomusLocations.HomeVariable} to a directory of yours)");
    return 1;
}

File.Delete(locations.DaemonSocket);
if (options.Background)
{
    DaemonProcess.RedirectOutputTo(locations.DaemonLog);
}

var builder = WebApplication.CreateSlimBuilder([]);
builder.Logging.ClearProviders().AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
});
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenUnixSocket(locations.DaemonSocket);
    foreach (var endpoint in options.Listen)
    {
        kestrel.Listen(endpoint);
    }
});
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
});
builder.Services.AddOpenApi();
builder.Services.AddSingleton(locations);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => new DomainStore(locations.Database));
var deviceModels = new Dictionary<DeviceModelKind, IDeviceModel> { [DeviceModelKind.Qemu] = new QemuDeviceModel(), [DeviceModelKind.Native] = new NativeDeviceModel() };
builder.Services.AddSingleton(_ => new HostValidator(deviceModels));
builder.Services.AddSingleton<TapNetwork>();
builder.Services.AddSingleton<NetworkManager>();
builder.Services.AddSingleton(_ => new AcceleratorProbe());
builder.Services.AddSingleton<AcceleratorService>();
builder.Services.AddSingleton<DomainViews>();
builder.Services.AddSingleton<IReadOnlyDictionary<DeviceModelKind, IDeviceModel>>(deviceModels);
builder.Services.AddSingleton<DomainManager>();
builder.Services.AddSingleton<DomainStatistics>();
builder.Services.AddSingleton<TaskLog>();
builder.Services.AddSingleton<ImageManager>();
builder.Services.AddSingleton<ConfigManager>();

var app = builder.Build();
var sessions = new BrowserSessions(TimeProvider.System);
var authentication = new TokenAuthentication(TokenAuthentication.LoadOrCreate(locations.ApiTokenFile), sessions);
app.Use(ApiErrors.HandleAsync);
app.Use(authentication.HandleAsync);
app.Use(TaskRecording.HandleAsync);
app.UseWebSockets();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapDomusApi();
app.MapNetworkApi();
app.MapSessionApi(authentication, sessions);
app.MapImageApi();
app.MapConfigApi();
app.MapTaskApi();
app.MapWebManager();

var networks = app.Services.GetRequiredService<NetworkManager>();
await networks.RecoverAsync(CancellationToken.None);
var manager = app.Services.GetRequiredService<DomainManager>();
await manager.RecoverAsync(CancellationToken.None);
_ = app.Services.GetRequiredService<AcceleratorService>().HostChoiceAsync(CancellationToken.None);
var statistics = app.Services.GetRequiredService<DomainStatistics>();
statistics.Start();

await app.StartAsync();
File.SetUnixFileMode(locations.DaemonSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
await app.WaitForShutdownAsync();
Console.Error.WriteLine($"{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss} domusd is stopping; its domains run on");
await statistics.DisposeAsync();
await manager.DisposeAsync();
await networks.DisposeAsync();
return 0;
