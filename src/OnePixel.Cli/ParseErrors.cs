using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OnePixel.Cli;

/// <summary>
/// Parse errors in the command line's own words. A value that is not a number is named by its option,
/// with what was expected ("--scale: expected a number such as 255 or 1, found 'abc'."), instead of
/// the parser's "as expected type 'System.Nullable`1[System.Single]'". Other errors (and the checks
/// the verbs add themselves) keep their message.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult result => result,
            ArgumentResult { Parent: OptionResult parent } => parent,
            _ => null,
        };
        if (option is null || Expected(option.Option.ValueType, option.Option.Name) is not { } expected)
            return error.Message;
        var bad = option.Tokens.Select(t => t.Value).FirstOrDefault(value => !Parses(value, option.Option.ValueType));
        return bad is null ? error.Message : $"{option.Option.Name}: expected {expected}, found '{bad}'.";
    }

    /// <summary>What a value of <paramref name="type"/> looks like, in words; null for types that are not numbers.</summary>
    private static string? Expected(Type type, string name) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when (t == typeof(float) || t == typeof(double)) && Fractions.Any(name.Contains) => "a fraction 0..1 (such as 0.1 for 10%)",
        var t when t == typeof(float) || t == typeof(double) => "a number (such as 255, 0.5 or 1e-3)",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(ulong) || t == typeof(uint) => "a whole number 0 or more",
        _ => null,
    };

    /// <summary>Options whose values are fractions (the gates and tolerances).</summary>
    private static readonly string[] Fractions = ["rate", "increase", "accuracy", "significance"];

    private static bool Parses(string value, Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(float) => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(uint) => uint.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(ulong) => ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ => true,
    };
}
