namespace Domus.Cli;

/// <summary>
/// Reads xm-style arguments: short flags that may be grouped (<c>-cp</c>), long flags, and flags that take
/// a value (<c>-f FILE</c>); <c>--</c> ends the flags. What is not a flag is an operand, in order.
/// </summary>
public sealed class ArgumentReader
{
    private readonly HashSet<string> _flags = [];
    private readonly Dictionary<string, string> _values = [];

    public ArgumentReader(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> flagNames, IReadOnlyDictionary<string, string> valueFlagNames)
    {
        var operands = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--")
            {
                operands.AddRange(arguments.Skip(i + 1));
                break;
            }

            if (argument.StartsWith("--", StringComparison.Ordinal) || (argument.StartsWith('-') && argument.Length == 2))
            {
                i = Take(argument, arguments, i, flagNames, valueFlagNames);
            }
            else if (argument.StartsWith('-') && argument.Length > 2 && argument[1..].All(c => flagNames.ContainsKey("-" + c)))
            {
                foreach (var c in argument[1..])
                {
                    _flags.Add(flagNames["-" + c]);
                }
            }
            else if (argument.StartsWith('-') && argument.Length > 1)
            {
                throw new UsageException($"unknown option '{argument}'");
            }
            else
            {
                operands.Add(argument);
            }
        }

        Operands = operands;
    }

    public IReadOnlyList<string> Operands { get; }

    public bool Has(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.GetValueOrDefault(name);

    private int Take(string argument, IReadOnlyList<string> arguments, int i, IReadOnlyDictionary<string, string> flagNames, IReadOnlyDictionary<string, string> valueFlagNames)
    {
        var equals = argument.IndexOf('=');
        var spelled = equals > 0 ? argument[..equals] : argument;
        if (flagNames.TryGetValue(spelled, out var flag) && equals < 0)
        {
            _flags.Add(flag);
            return i;
        }

        if (!valueFlagNames.TryGetValue(spelled, out var valueFlag))
        {
            throw new UsageException($"unknown option '{argument}'");
        }

        if (equals > 0)
        {
            _values[valueFlag] = argument[(equals + 1)..];
            return i;
        }

        if (i + 1 >= arguments.Count)
        {
            throw new UsageException($"option '{argument}' needs a value");
        }

        _values[valueFlag] = arguments[i + 1];
        return i + 1;
    }
}
