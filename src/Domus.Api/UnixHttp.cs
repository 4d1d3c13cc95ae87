using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Domus.Api;

/// <summary>
/// One HTTP/1.1 request over a Unix socket and its whole response (<c>Connection: close</c>; a body of known
/// length or chunked). domus runs once per command, and this costs it far less start-up than .NET's full HTTP
/// stack, which is why <c>domus list</c> can answer in a few milliseconds.
/// </summary>
public static class UnixHttp
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<(int Status, byte[] Body)> SendAsync(string socketPath, string method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var socket = await UnixSocket.ConnectAsync(socketPath, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: domusd\r\nConnection: close\r\n");
        if (body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");

        // One write: domusd may answer and close as soon as it has the head, and a second write would then fail.
        byte[] request = [.. Encoding.ASCII.GetBytes(head.ToString()), .. body ?? []];
        await stream.WriteAsync(request, cancellationToken);

        using var response = new MemoryStream();
        await stream.CopyToAsync(response, cancellationToken);
        return Parse(response.ToArray());
    }

    /// <summary>
    /// Opens a WebSocket on <paramref name="path"/>: the HTTP/1.1 upgrade, then RFC 6455 framing on the same
    /// connection. A refusal comes back as its status and body instead.
    /// </summary>
    public static async Task<(WebSocket? Socket, int Status, byte[] Body)> UpgradeAsync(string socketPath, string path, CancellationToken cancellationToken)
    {
        var socket = await UnixSocket.ConnectAsync(socketPath, cancellationToken);
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {path} HTTP/1.1\r\nHost: domusd\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
            var head = await ReadHeadAsync(stream, cancellationToken);
            var lines = head.Split("\r\n");
            var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            if (status != 101)
            {
                using var rest = new MemoryStream();
                await stream.CopyToAsync(rest, cancellationToken);
                await stream.DisposeAsync();
                return (null, status, rest.ToArray());
            }

#pragma warning disable CA5350 // RFC 6455 prescribes SHA-1 for the handshake; it protects nothing.
            var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
            if (!lines.Any(l => l.StartsWith("Sec-WebSocket-Accept:", StringComparison.OrdinalIgnoreCase) && l["Sec-WebSocket-Accept:".Length..].Trim() == expected))
            {
                throw new IOException("domusd's WebSocket answer does not match the request");
            }

            return (WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.FromSeconds(30) }), status, []);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads up to the blank line that ends the headers, and not a byte further: WebSocket frames may follow at once.</summary>
    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual(HeaderEnd))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("domusd closed the connection during the upgrade");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString(head.ToArray(), 0, head.Count - HeaderEnd.Length);
    }

    private static (int Status, byte[] Body) Parse(byte[] response)
    {
        var end = response.AsSpan().IndexOf(HeaderEnd);
        if (end < 0)
        {
            throw new IOException("domusd's answer ended before its headers did");
        }

        var lines = Encoding.ASCII.GetString(response, 0, end).Split("\r\n");
        var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new IOException($"domusd answered '{lines[0]}'");
        var chunked = lines.Skip(1).Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var content = response.AsSpan(end + HeaderEnd.Length);
        return (status, chunked ? Dechunk(content) : content.ToArray());
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> content)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = content.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw new IOException("domusd's chunked answer is cut short");
            }

            var sizeText = Encoding.ASCII.GetString(content[..lineEnd]).Split(';')[0].Trim();
            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            content = content[(lineEnd + 2)..];
            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(content[..size]);
            content = content[(size + 2)..];
        }
    }
}
