namespace Domus.Config.Model;

/// <summary>A vif's <c>rate</c>: at most <see cref="BytesPerSecond"/>, replenished every <see cref="IntervalMicroseconds"/>.</summary>
public sealed record RateLimit(long BytesPerSecond, long IntervalMicroseconds);
