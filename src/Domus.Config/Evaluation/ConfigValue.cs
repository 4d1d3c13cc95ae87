using Domus.Config.Diagnostics;

namespace Domus.Config.Evaluation;

/// <summary>A value computed from a configuration, with the place it came from.</summary>
public abstract record ConfigValue(SourceLocation Location)
{
    /// <summary>The name of the type in messages to the user.</summary>
    public abstract string TypeName { get; }

    /// <summary>Python's truth value.</summary>
    public abstract bool IsTrue { get; }

    /// <summary>A short rendering for messages.</summary>
    public abstract string Show();

    /// <summary>
    /// About how many characters the value holds, at least 1 (so a list's size bounds its length too): the
    /// evaluator bounds it, so that no value outgrows memory.
    /// </summary>
    public virtual long Size => 1;
}
