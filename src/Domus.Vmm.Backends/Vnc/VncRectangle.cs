namespace Domus.Vmm.Backends.Vnc;

/// <summary>A rectangle of the screen in pixels.</summary>
public readonly record struct VncRectangle(int X, int Y, int Width, int Height)
{
    public bool IsEmpty => Width <= 0 || Height <= 0;

    public int Right => X + Width;

    public int Bottom => Y + Height;

    public VncRectangle Intersect(VncRectangle other)
    {
        int x = Math.Max(X, other.X), y = Math.Max(Y, other.Y);
        return new VncRectangle(x, y, Math.Max(0, Math.Min(Right, other.Right) - x), Math.Max(0, Math.Min(Bottom, other.Bottom) - y));
    }

    public VncRectangle Union(VncRectangle other)
    {
        if (IsEmpty)
        {
            return other;
        }

        if (other.IsEmpty)
        {
            return this;
        }

        int x = Math.Min(X, other.X), y = Math.Min(Y, other.Y);
        return new VncRectangle(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y);
    }
}
