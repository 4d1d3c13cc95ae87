namespace Domus.Bench;

/// <summary>Waiting for a guest's output to appear in a file (a console log, a debug-port log).</summary>
public static class FileText
{
    public static async Task WaitForAsync(string file, string text, TimeSpan timeout, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(File.Exists(file) && (await File.ReadAllTextAsync(file)).Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{text.Trim()} did not appear in {file}");
            }

            await Task.Delay(poll);
        }
    }
}
