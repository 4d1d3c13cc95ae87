using Domus.Vmm.Backends.Display;

namespace Domus.Vmm.Backends.Vnc;

/// <summary>
/// Where a frame differs from what a client last received: the region is cut into bands of 64 rows and tiles of 64
/// columns, neighbouring changed tiles in a band join, and each run shrinks to the bounding box of its changed pixels.
/// </summary>
internal static class FrameDifference
{
    private const int Tile = 64;

    public static List<VncRectangle> Changed(Frame now, ReadOnlySpan<uint> before, VncRectangle region)
    {
        var changed = new List<VncRectangle>();
        for (var bandY = region.Y; bandY < region.Bottom; bandY += Tile)
        {
            var bandHeight = Math.Min(Tile, region.Bottom - bandY);
            var run = default(VncRectangle);
            for (var tileX = region.X; tileX < region.Right; tileX += Tile)
            {
                var tile = ChangedBox(now, before, new VncRectangle(tileX, bandY, Math.Min(Tile, region.Right - tileX), bandHeight));
                if (tile.IsEmpty && !run.IsEmpty)
                {
                    changed.Add(run);
                    run = default;
                }

                run = run.Union(tile);
            }

            if (!run.IsEmpty)
            {
                changed.Add(run);
            }
        }

        return changed;
    }

    private static VncRectangle ChangedBox(Frame now, ReadOnlySpan<uint> before, VncRectangle tile)
    {
        int left = int.MaxValue, right = -1, top = -1, bottom = -1;
        for (var y = tile.Y; y < tile.Bottom; y++)
        {
            var current = now.Pixels.AsSpan((y * now.Width) + tile.X, tile.Width);
            var previous = before.Slice((y * now.Width) + tile.X, tile.Width);
            var first = current.CommonPrefixLength(previous);
            if (first == tile.Width)
            {
                continue;
            }

            var last = tile.Width - 1;
            while (current[last] == previous[last])
            {
                last--;
            }

            left = Math.Min(left, first);
            right = Math.Max(right, last);
            top = top < 0 ? y : top;
            bottom = y;
        }

        return top < 0 ? default : new VncRectangle(tile.X + left, top, right - left + 1, bottom - top + 1);
    }
}
