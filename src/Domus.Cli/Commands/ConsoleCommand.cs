using System.Net.WebSockets;
using System.Text;
using Domus.Api;

namespace Domus.Cli.Commands;

/// <summary>
/// <c>console [-q] NAME|ID</c>: attaches to the domain's first serial port, as xm console did. At a terminal,
/// keys go to the guest raw and Ctrl-] leaves; otherwise standard input is sent until it ends. The console
/// ends by itself when the domain does.
/// </summary>
public sealed class ConsoleCommand : DomainCommand
{
    public const byte Escape = 0x1d;

    public override string Name => "console";

    public override string Summary => "Attach to a domain's serial console (Ctrl-] leaves).";

    public override string Usage => "[-q] NAME|ID";

    protected override IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string> { ["-q"] = "quiet", ["--quiet"] = "quiet" };

    protected override async Task<int> ActAsync(CommandContext context, DomusClient client, ArgumentReader arguments, CancellationToken cancellationToken)
    {
        await AttachAsync(context, client, arguments.Operands[0], arguments.Has("quiet"), onAttached: null, cancellationToken);
        return 0;
    }

    /// <summary>Runs the console until the user leaves or the domain ends; <paramref name="onAttached"/> runs once connected.</summary>
    public static async Task AttachAsync(CommandContext context, DomusClient client, string domain, bool quiet, Func<Task>? onAttached, CancellationToken cancellationToken)
    {
        using var socket = await client.ConnectConsoleAsync(domain, cancellationToken: cancellationToken);
        if (!quiet)
        {
            context.Error.WriteLine($"Connected to {domain}; Ctrl-] leaves.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = context.Interactive ? RawOutputAsync(socket, stop.Token) : TextOutputAsync(socket, context.Out, stop.Token);
        if (onAttached is not null)
        {
            await onAttached();
        }

        Task input;
        using (context.Interactive ? TerminalMode.Raw() : null)
        {
            input = context.Interactive ? RawInputAsync(socket, stop.Token) : TextInputAsync(socket, context.Input, stop.Token);
            await Task.WhenAny(output, input);
        }

        await stop.CancelAsync();
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "detached", CancellationToken.None);
        }

        // The input pump may sit in a read of the terminal that nothing can cancel; it ends with the process.
        await Quietly(output);
        if (context.Interactive)
        {
            context.Error.WriteLine();
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // Ending the console cancels its pumps.
        }
    }

    private static async Task RawOutputAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        await using var stdout = System.Console.OpenStandardOutput();
        var buffer = new byte[8192];
        while (true)
        {
            var message = await socket.ReceiveAsync(buffer, cancellationToken);
            if (message.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            await stdout.WriteAsync(buffer.AsMemory(0, message.Count), cancellationToken);
            await stdout.FlushAsync(cancellationToken);
        }
    }

    private static async Task TextOutputAsync(WebSocket socket, TextWriter output, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[8192];
        var chars = new char[8192];
        while (true)
        {
            var message = await socket.ReceiveAsync(buffer, cancellationToken);
            if (message.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var count = decoder.GetChars(buffer, 0, message.Count, chars, 0);
            await output.WriteAsync(chars.AsMemory(0, count), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }

    private static async Task RawInputAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        await using var stdin = System.Console.OpenStandardInput();
        var buffer = new byte[1024];
        int read;
        while ((read = await stdin.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var escape = Array.IndexOf(buffer, Escape, 0, read);
            await socket.SendAsync(buffer.AsMemory(0, escape < 0 ? read : escape), WebSocketMessageType.Binary, true, cancellationToken);
            if (escape >= 0)
            {
                return;
            }
        }
    }

    private static async Task TextInputAsync(WebSocket socket, TextReader input, CancellationToken cancellationToken)
    {
        var chars = new char[1024];
        int read;
        while ((read = await input.ReadAsync(chars, cancellationToken)) > 0)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(chars, 0, read), WebSocketMessageType.Binary, true, cancellationToken);
        }

        // Input is over: wait for the domain to end rather than cutting its output short.
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
