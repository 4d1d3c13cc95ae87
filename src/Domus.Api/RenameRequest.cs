namespace Domus.Api;

public sealed record RenameRequest(string Name);
