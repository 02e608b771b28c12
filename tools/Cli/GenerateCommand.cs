using System.Text.Json;
using Spectre.Console;

namespace Marketplace.Cli;

static class GenerateCommand
{
    static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string[] args)
    {
        var options = new Options(args);
        if (!int.TryParse(options.Positional(0), out var count) || count < 1 || options.Get("out") is not { } folder)
        {
            AnsiConsole.MarkupLine("[red]Usage:[/] marketplace generate <count> --out <folder> [[--seed 42]] [[--needs-share 0.3]]");
            return 2;
        }
        var seed = options.Int("seed", 42);
        var needsShare = Math.Clamp(options.Double("needs-share", 0.3), 0, 1);
        Directory.CreateDirectory(folder);
        var generator = ListingGenerator.Shipped(seed);
        var needs = (int)Math.Round(count * needsShare);
        using (var offers = new StreamWriter(Path.Combine(folder, "offers.jsonl")))
            for (var i = 0; i < count - needs; i++) offers.WriteLine(generator.Next($"O-{i + 1:D6}", need: false).ToJsonString(Json));
        using (var needsFile = new StreamWriter(Path.Combine(folder, "needs.jsonl")))
            for (var i = 0; i < needs; i++) needsFile.WriteLine(generator.Next($"N-{i + 1:D6}", need: true).ToJsonString(Json));
        AnsiConsole.MarkupLine($"Wrote [green]{count - needs:N0}[/] offers and [green]{needs:N0}[/] needs to {Markup.Escape(Path.GetFullPath(folder))} (seed {seed}).");
        return 0;
    }
}
