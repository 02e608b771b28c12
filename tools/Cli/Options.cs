namespace Marketplace.Cli;

/// <summary>The few options the commands take: <c>--name value</c> pairs and positional arguments.</summary>
sealed class Options(string[] args)
{
    public string? Positional(int index) => args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--"))).ElementAtOrDefault(index);

    public string? Get(string name)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => int.TryParse(Get(name), out var v) ? v : fallback;

    public double Double(string name, double fallback) =>
        double.TryParse(Get(name), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
