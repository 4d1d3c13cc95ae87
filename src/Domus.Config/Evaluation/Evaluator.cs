using System.Text.RegularExpressions;
using Domus.Config.Diagnostics;
using Domus.Config.Syntax;
using Domus.Config.Syntax.Ast;

namespace Domus.Config.Evaluation;

/// <summary>
/// Runs parsed statements the way xm ran a config script, with the subset of Python that Xen's example
/// files use: <c>import os, re</c>, <c>os.uname()</c>, <c>re.search</c>/<c>re.match</c>, indexing, <c>+</c>,
/// comparisons and <c>if</c>. Anything else is reported with its location and the run goes on.
/// The parser bounds how deep expressions nest; values are bounded here, since variables let a value grow
/// line after line (<c>x = [x]</c>, <c>x = x + x</c>).
/// </summary>
public sealed class Evaluator
{
    /// <summary>No configuration value needs to be larger than a whole configuration file.</summary>
    public const long MaxValueSize = DomainConfigLoader.MaxFileBytes;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly HashSet<string> SupportedModules = ["os", "re"];

    private readonly PythonHost _host;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, ConfigValue> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    public Evaluator(PythonHost host, DiagnosticBag diagnostics)
    {
        _host = host;
        _diagnostics = diagnostics;
    }

    public void Execute(IEnumerable<Statement> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case AssignStatement assign:
                    Assign(assign);
                    break;
                case ImportStatement import:
                    Import(import);
                    break;
                case IfStatement conditional:
                    ExecuteIf(conditional);
                    break;
            }
        }
    }

    /// <summary>The settings: every variable holding a string, number or list (modules and functions are not settings).</summary>
    public EvaluatedConfig Result()
    {
        var settings = _order
            .Where(key => _variables[key] is StringValue or NumberValue or ListValue)
            .Select(key => new Setting(key, _variables[key], _read.Contains(key)))
            .ToList();
        return new EvaluatedConfig(settings, new HashSet<string>(_failed, StringComparer.Ordinal));
    }

    private void Set(string key, ConfigValue value)
    {
        if (!_variables.ContainsKey(key))
        {
            _order.Add(key);
        }

        _variables[key] = value is BoolValue b ? new NumberValue(b.Location, b.Value ? 1 : 0, b.Value ? "1" : "0") : value;
        _failed.Remove(key);
    }

    private void Fail(string key)
    {
        _variables.Remove(key);
        _order.Remove(key);
        _failed.Add(key);
    }

    private void Assign(AssignStatement assign)
    {
        var value = Evaluate(assign.Value);
        if (value is null)
        {
            Fail(assign.Key);
            return;
        }

        if (!assign.Append || !_variables.TryGetValue(assign.Key, out var existing))
        {
            Set(assign.Key, value);
            return;
        }

        var appended = Bounded(assign.Location, (existing, value) switch
        {
            (StringValue a, StringValue b) => new StringValue(a.Location, a.Value + b.Value),
            (ListValue a, ListValue b) => new ListValue(a.Location, [.. a.Items, .. b.Items]),
            (ListValue a, _) => new ListValue(a.Location, [.. a.Items, value]),
            (NumberValue, _) => Error(assign.Location, $"'+=' cannot be used with numbers ('{assign.Key}' holds {existing.Show()})"),
            _ => Error(assign.Value.Location, $"'+=' cannot add a {value.TypeName} to the {existing.TypeName} in '{assign.Key}'"),
        });
        if (appended is null)
        {
            Fail(assign.Key);
            return;
        }

        Set(assign.Key, appended);
    }

    private void Import(ImportStatement import)
    {
        foreach (var module in import.Modules)
        {
            if (SupportedModules.Contains(module.Name))
            {
                Set(module.Name, new ModuleValue(module.Location, module.Name));
            }
            else
            {
                _diagnostics.Error(module.Location, $"'import {module.Name}' is not supported: of Python, a configuration may only use the 'import os, re' of Xen's example files");
                _failed.Add(module.Name);
            }
        }
    }

    private void ExecuteIf(IfStatement conditional)
    {
        foreach (var branch in conditional.Branches)
        {
            var condition = Evaluate(branch.Condition);
            if (condition is null)
            {
                // No branch can be chosen: what any of them would set is unknown, and already explained.
                MarkAssignedKeysFailed(conditional);
                return;
            }

            if (condition.IsTrue)
            {
                Execute(branch.Body);
                return;
            }
        }

        Execute(conditional.ElseBody);
    }

    private void MarkAssignedKeysFailed(IfStatement conditional)
    {
        var bodies = conditional.Branches.Select(b => b.Body).Append(conditional.ElseBody);
        foreach (var statement in bodies.SelectMany(b => b))
        {
            switch (statement)
            {
                case AssignStatement assign:
                    Fail(assign.Key);
                    break;
                case IfStatement nested:
                    MarkAssignedKeysFailed(nested);
                    break;
            }
        }
    }

    private ConfigValue? Error(SourceLocation location, string message)
    {
        _diagnostics.Error(location, message);
        return null;
    }

    private ConfigValue? Bounded(SourceLocation location, ConfigValue? value) => value switch
    {
        ListValue { Depth: > Parser.MaxNesting } => Error(location, $"lists are nested more than {Parser.MaxNesting} levels deep"),
        { Size: > MaxValueSize } => Error(location, $"the value grows beyond {MaxValueSize} characters, more than a configuration file may hold"),
        _ => value,
    };

    private ConfigValue? Evaluate(Expression expression) => Bounded(expression.Location, expression switch
    {
        StringLiteral s => new StringValue(s.Location, s.Value),
        NumberLiteral n => new NumberValue(n.Location, n.Value, n.Text),
        InvalidLiteral => null,
        ListLiteral list => EvaluateList(list),
        NameExpression name => Lookup(name),
        AttributeExpression attribute => EvaluateAttribute(attribute),
        CallExpression call => EvaluateCall(call),
        IndexExpression index => EvaluateIndex(index),
        BinaryExpression binary => EvaluateBinary(binary),
        UnaryExpression unary => EvaluateUnary(unary),
        _ => Error(expression.Location, "this expression is not supported"),
    });

    private ListValue? EvaluateList(ListLiteral list)
    {
        var items = new List<ConfigValue>(list.Items.Count);
        var ok = true;
        foreach (var item in list.Items)
        {
            if (Evaluate(item) is { } value)
            {
                items.Add(value);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? new ListValue(list.Location, items, list.IsTuple) : null;
    }

    private ConfigValue? Lookup(NameExpression name)
    {
        if (_variables.TryGetValue(name.Name, out var value))
        {
            _read.Add(name.Name);
            return value is ListValue or ModuleValue ? value : value with { Location = name.Location };
        }

        if (_failed.Contains(name.Name))
        {
            return null;
        }

        var hint = name.Name switch
        {
            "True" or "False" => "; write 1 or 0",
            "None" => "; leave the key out instead",
            _ => $"; a string must be quoted: '{name.Name}'",
        };
        return Error(name.Location, $"'{name.Name}' is not defined{hint}");
    }

    private ConfigValue? EvaluateAttribute(AttributeExpression attribute)
    {
        var target = Evaluate(attribute.Target);
        if (target is null)
        {
            return null;
        }

        var qualified = target is ModuleValue module ? $"{module.Name}.{attribute.Name}" : null;
        return qualified switch
        {
            "os.uname" or "re.search" or "re.match" => new FunctionValue(attribute.Location, qualified),
            null => Error(attribute.Location, $"a {target.TypeName} has no attribute '{attribute.Name}' here"),
            _ => Error(attribute.Location, $"'{qualified}' is not supported: the preamble may use os.uname(), re.search() and re.match()"),
        };
    }

    private ConfigValue? EvaluateCall(CallExpression call)
    {
        var callee = Evaluate(call.Callee);
        if (callee is null)
        {
            return null;
        }

        if (callee is not FunctionValue function)
        {
            return Error(call.Location, $"{callee.Show()} is a {callee.TypeName} and cannot be called");
        }

        var arguments = new List<ConfigValue>();
        foreach (var argument in call.Arguments)
        {
            if (Evaluate(argument) is not { } value)
            {
                return null;
            }

            arguments.Add(value);
        }

        return function.Name switch
        {
            "os.uname" when arguments.Count == 0 => Uname(call),
            "os.uname" => Error(call.Location, "os.uname() takes no arguments"),
            _ => RegexCall(call, function.Name, arguments),
        };
    }

    private ListValue Uname(CallExpression call)
    {
        string[] fields = [_host.SystemName, _host.NodeName, _host.Release, _host.Version, _host.Machine];
        return new ListValue(call.Location, [.. fields.Select(f => new StringValue(call.Location, f))], IsTuple: true);
    }

    private ConfigValue? RegexCall(CallExpression call, string name, List<ConfigValue> arguments)
    {
        if (arguments is not [StringValue pattern, StringValue subject])
        {
            return Error(call.Location, $"{name}() takes two strings: a pattern and the text to search");
        }

        try
        {
            var regex = new Regex(pattern.Value, RegexOptions.CultureInvariant, RegexTimeout);
            var match = regex.Match(subject.Value);
            var found = match.Success && (name == "re.search" || match.Index == 0);
            return new BoolValue(call.Location, found);
        }
        catch (ArgumentException e)
        {
            return Error(pattern.Location, $"invalid regular expression {pattern.Show()}: {e.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            return Error(pattern.Location, $"the regular expression {pattern.Show()} takes too long to match");
        }
    }

    private ConfigValue? EvaluateIndex(IndexExpression index)
    {
        var target = Evaluate(index.Target);
        var position = Evaluate(index.Index);
        if (target is null || position is null)
        {
            return null;
        }

        if (position is not NumberValue number)
        {
            return Error(index.Index.Location, $"an index must be a number, not a {position.TypeName}");
        }

        var count = target switch
        {
            ListValue list => list.Items.Count,
            StringValue s => s.Value.Length,
            _ => -1,
        };
        if (count < 0)
        {
            return Error(index.Location, $"a {target.TypeName} cannot be indexed");
        }

        var i = number.Value < 0 ? number.Value + count : number.Value;
        if (i < 0 || i >= count)
        {
            return Error(index.Index.Location, $"index {number.Value} is out of range: the {target.TypeName} has {count} items");
        }

        return target switch
        {
            ListValue list => list.Items[(int)i],
            _ => new StringValue(index.Location, ((StringValue)target).Value[(int)i].ToString()),
        };
    }

    private ConfigValue? EvaluateBinary(BinaryExpression binary)
    {
        var left = Evaluate(binary.Left);
        if (left is null)
        {
            return null;
        }

        switch (binary.Operator)
        {
            case BinaryOperator.And:
                return left.IsTrue ? Evaluate(binary.Right) : left;
            case BinaryOperator.Or:
                return left.IsTrue ? left : Evaluate(binary.Right);
        }

        var right = Evaluate(binary.Right);
        if (right is null)
        {
            return null;
        }

        var location = binary.Location;
        return (binary.Operator, left, right) switch
        {
            (BinaryOperator.Add, StringValue a, StringValue b) => new StringValue(location, a.Value + b.Value),
            (BinaryOperator.Add, ListValue a, ListValue b) => new ListValue(location, [.. a.Items, .. b.Items]),
            (BinaryOperator.Add, NumberValue a, NumberValue b) => Arithmetic(location, a.Value, b.Value, add: true),
            (BinaryOperator.Subtract, NumberValue a, NumberValue b) => Arithmetic(location, a.Value, b.Value, add: false),
            (BinaryOperator.Equal, _, _) => new BoolValue(location, SameValue(left, right)),
            (BinaryOperator.NotEqual, _, _) => new BoolValue(location, !SameValue(left, right)),
            (BinaryOperator.Add, _, _) => Error(location, $"cannot add a {right.TypeName} to a {left.TypeName} ({left.Show()} + {right.Show()})"),
            _ => Error(location, $"cannot subtract a {right.TypeName} from a {left.TypeName}"),
        };
    }

    private ConfigValue? Arithmetic(SourceLocation location, long a, long b, bool add)
    {
        try
        {
            var result = add ? checked(a + b) : checked(a - b);
            return new NumberValue(location, result, result.ToString());
        }
        catch (OverflowException)
        {
            return Error(location, "the number is too large");
        }
    }

    private static bool SameValue(ConfigValue left, ConfigValue right) => (left, right) switch
    {
        (StringValue a, StringValue b) => a.Value == b.Value,
        (NumberValue a, NumberValue b) => a.Value == b.Value,
        (BoolValue a, BoolValue b) => a.Value == b.Value,
        (NumberValue a, BoolValue b) => a.Value == (b.Value ? 1 : 0),
        (BoolValue a, NumberValue b) => b.Value == (a.Value ? 1 : 0),
        (ListValue a, ListValue b) => a.Items.Count == b.Items.Count && a.Items.Zip(b.Items).All(p => SameValue(p.First, p.Second)),
        _ => false,
    };

    private ConfigValue? EvaluateUnary(UnaryExpression unary)
    {
        var operand = Evaluate(unary.Operand);
        return (unary.Operator, operand) switch
        {
            (_, null) => null,
            (UnaryOperator.Not, _) => new BoolValue(unary.Location, !operand.IsTrue),
            (UnaryOperator.Negate, NumberValue n) when n.Value != long.MinValue =>
                new NumberValue(unary.Location, -n.Value, "-" + n.Text),
            _ => Error(unary.Location, $"cannot negate a {operand.TypeName}"),
        };
    }
}
