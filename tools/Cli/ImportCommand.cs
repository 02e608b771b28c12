using System.Text.Json.Nodes;
using Marketplace.Client;
using Marketplace.Client.Generated.Models;
using Spectre.Console;

namespace Marketplace.Cli;

/// <summary>
/// Streams an NDJSON file to the bulk endpoint in batches through the .NET client (<c>Client/</c>:
/// retries of 429/503 and of a failed connection, problems in the API's words). A checkpoint file beside
/// the input remembers the last line the API confirmed, so a rerun resumes there; since the API upserts
/// by externalRef, even a rerun from the start only reports <c>unchanged</c>.
/// </summary>
static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args);
        var file = options.Positional(0);
        var kind = options.Get("kind");
        if (file is null || kind is not ("offers" or "needs") || options.Get("api") is null || options.Get("key") is null)
        {
            AnsiConsole.MarkupLine("[red]Usage:[/] marketplace import <file.ndjson> --kind offers|needs --api <url> --key <key> [[--batch 2000]]");
            return 2;
        }
        if (!File.Exists(file))
        {
            AnsiConsole.MarkupLine($"[red]No such file:[/] {Markup.Escape(file)}");
            return 2;
        }
        var batchSize = Math.Clamp(options.Int("batch", 2000), 1, 50_000);
        var checkpoint = file + $".{kind}.imported";
        var done = File.Exists(checkpoint) && long.TryParse(File.ReadAllText(checkpoint).Trim(), out var n) ? n : 0;
        var skipped = done;
        var total = File.ReadLines(file).LongCount();
        using var client = new MarketplaceClient(new Uri(options.Get("api")!),
            new MarketplaceClientOptions { ApiKey = options.Get("key"), Timeout = TimeSpan.FromMinutes(10) });
        var listingKind = kind == "offers" ? ListingKind.Offer : ListingKind.Need;

        BulkResult? result = null;
        BulkProgress? last = null;
        IReadOnlyList<BulkLineError> errors = [];
        string? stopReason = null;
        if (done > 0) AnsiConsole.MarkupLine($"Resuming after line [yellow]{done:N0}[/] ({Markup.Escape(checkpoint)}).");

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{kind}", maxValue: total);
                task.Value = done;
                // After each batch the API confirmed: the checkpoint moves on, so a rerun resumes there.
                var progress = new Reported(p =>
                {
                    last = p;
                    File.WriteAllText(checkpoint, p.Lines.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    task.Value = p.Lines;
                    task.Description = $"{kind} · {p.LinesPerSecond(skipped):N0} lines/s";
                });
                try
                {
                    result = await client.UploadLinesAsync(listingKind, ReadLines(file),
                        new BulkUploadOptions { BatchLines = batchSize, SkipLines = done, MaxErrors = 1000 }, progress);
                }
                catch (BulkUploadException e)
                {
                    last = e.Progress;
                    errors = e.Errors;
                    stopReason = Advice(e, kind);
                }
            });

        var (created, updated, unchanged, failed, elapsed) = result is not null
            ? (result.Created, result.Updated, result.Unchanged, result.Failed, result.Elapsed)
            : (last?.Created ?? 0, last?.Updated ?? 0, last?.Unchanged ?? 0, last?.Failed ?? 0, last?.Elapsed ?? TimeSpan.Zero);
        var table = new Table().AddColumns("created", "updated", "unchanged", "failed", "lines/s");
        table.AddRow($"{created:N0}", $"{updated:N0}", $"{unchanged:N0}", failed > 0 ? $"[red]{failed:N0}[/]" : "0",
            $"{(created + updated + unchanged + failed) / Math.Max(0.001, elapsed.TotalSeconds):N0}");
        AnsiConsole.Write(table);
        foreach (var error in (result?.Errors ?? errors).Take(20))
            AnsiConsole.MarkupLine($"[red]line {error.Line}[/] {Markup.Escape(error.ExternalRef ?? "")}: {Markup.Escape(error.Problem?.ToString() ?? "")}");
        if (stopReason is not null)
        {
            AnsiConsole.MarkupLine($"[red]Stopped:[/] {Markup.Escape(stopReason)}.");
            return 1;
        }
        File.Delete(checkpoint);
        return failed > 0 ? 3 : 0;
    }

    /// <summary>Why the import stopped and what helps: a refusal is not cured by running again; an API that stayed unreachable may be.</summary>
    static string Advice(BulkUploadException stop, string kind)
    {
        var from = stop.LinesDone + 1;
        if (stop.InnerException is not IMarketplaceProblem problem || stop.InnerException is not Microsoft.Kiota.Abstractions.ApiException answer
            || answer.ResponseStatusCode is 429 or 503)
            return $"the API did not take the lines from {from:N0} on ({stop.InnerException?.Message}); rerun the same command to resume there";
        AnsiConsole.MarkupLine($"[red]The API refused the batch:[/] {Markup.Escape(problem.Describe())}");
        return answer.ResponseStatusCode switch
        {
            401 => "the key was not accepted (401); check --key and run again",
            403 => $"this key may not write {kind} for this organization (403); use a key of the organization, or an agency key",
            var status => $"the API refused the lines from {from:N0} on ({status}); fix what the answer above names and run again",
        };
    }

    /// <summary>The file's lines as the API numbers them (split at \n only), each made an API line.</summary>
    static async IAsyncEnumerable<string> ReadLines(string file)
    {
        await using var stream = File.OpenRead(file);
        await foreach (var line in MarketplaceClient.ReadLinesAsync(stream)) yield return ToApiLine(line);
    }

    /// <summary>Runs each report at once, in order (Progress&lt;T&gt; would post it to the thread pool).</summary>
    sealed class Reported(Action<BulkProgress> report) : IProgress<BulkProgress>
    {
        public void Report(BulkProgress value) => report(value);
    }

    /// <summary>SCHEMA.md files name the client's id <c>ref</c>; the API calls it <c>externalRef</c>.</summary>
    static string ToApiLine(string text)
    {
        if (!text.Contains("\"ref\"")) return text;
        try
        {
            var node = JsonNode.Parse(text)!.AsObject();
            if (node["externalRef"] is null && node["ref"] is { } reference)
            {
                node.Remove("ref");
                node["externalRef"] = reference.GetValue<string>();
            }
            return node.ToJsonString();
        }
        catch (System.Text.Json.JsonException)
        {
            return text; // the API names the problem of this line
        }
    }
}
