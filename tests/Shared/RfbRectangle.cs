namespace Domus.Tests.Screens;

/// <summary>One rectangle of a framebuffer update as the server sent it.</summary>
public readonly record struct RfbRectangle(int X, int Y, int Width, int Height, int Encoding);
