using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Spectre.Console;

namespace Marketplace.Cli;

/// <summary>
/// Streams an NDJSON file to the bulk endpoint in batches. A checkpoint file beside the input
/// remembers the last line the API confirmed, so a rerun resumes there; since the API upserts by
/// externalRef, even a rerun from the start only reports <c>unchanged</c>.
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
        var total = File.ReadLines(file).LongCount();
        using var http = new HttpClient { BaseAddress = new Uri(options.Get("api")!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", options.Get("key"));

        long created = 0, updated = 0, unchanged = 0, failed = 0;
        var errors = new List<BulkLineError>();
        var watch = Stopwatch.StartNew();
        string? stopReason = null;
        if (done > 0) AnsiConsole.MarkupLine($"Resuming after line [yellow]{done:N0}[/] ({Markup.Escape(checkpoint)}).");

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{kind}", maxValue: total);
                task.Value = done;
                var batch = new List<string>(batchSize);
                var first = done + 1;
                long line = 0;
                foreach (var text in File.ReadLines(file))
                {
                    line++;
                    if (line <= done) continue;
                    batch.Add(ToApiLine(text));
                    if (batch.Count < batchSize) continue;
                    if (!await SendAsync()) return;
                }
                if (batch.Count > 0) await SendAsync();

                async Task<bool> SendAsync()
                {
                    var (result, refusal) = await PostWithRetriesAsync(http, kind, batch);
                    if (result is null)
                    {
                        // A refusal is not cured by running again; an API that stayed unreachable may be.
                        stopReason = refusal is null
                            ? $"the API did not take lines {first:N0}-{line:N0}; rerun the same command to resume there"
                            : $"the API refused lines {first:N0}-{line:N0}: {refusal}";
                        return false;
                    }
                    created += result.Created;
                    updated += result.Updated;
                    unchanged += result.Unchanged;
                    failed += result.Failed;
                    // The API numbers lines within the request; the file numbers them from its start.
                    errors.AddRange(result.Errors.Take(Math.Max(0, 1000 - errors.Count)).Select(e => e with { Line = e.Line + first - 1 }));
                    done = line;
                    await File.WriteAllTextAsync(checkpoint, done.ToString());
                    task.Value = done;
                    var rate = (done - (first - 1)) / Math.Max(0.001, watch.Elapsed.TotalSeconds);
                    task.Description = $"{kind} · {rate:N0} lines/s";
                    batch.Clear();
                    first = line + 1;
                    return true;
                }
            });

        var table = new Table().AddColumns("created", "updated", "unchanged", "failed", "lines/s");
        table.AddRow($"{created:N0}", $"{updated:N0}", $"{unchanged:N0}", failed > 0 ? $"[red]{failed:N0}[/]" : "0",
            $"{(created + updated + unchanged + failed) / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0}");
        AnsiConsole.Write(table);
        foreach (var error in errors.Take(20))
            AnsiConsole.MarkupLine($"[red]line {error.Line}[/] {Markup.Escape(error.ExternalRef ?? "")}: {Markup.Escape(Describe(error.Problem))}");
        if (stopReason is not null)
        {
            AnsiConsole.MarkupLine($"[red]Stopped:[/] {Markup.Escape(stopReason)}.");
            return 1;
        }
        File.Delete(checkpoint);
        return failed > 0 ? 3 : 0;
    }

    static string Describe(LineProblem p) =>
        p.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : p.Detail ?? p.Title;

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

    /// <summary>The API's answer; or null with why it refused the batch (4xx); or null and null when it stayed unreachable.</summary>
    static async Task<(BulkResponse? Result, string? Refusal)> PostWithRetriesAsync(HttpClient http, string kind, List<string> lines)
    {
        var body = string.Join('\n', lines) + "\n";
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
                using var response = await http.PostAsync($"api/v1/{kind}/bulk", content);
                if (response.IsSuccessStatusCode)
                    return (await response.Content.ReadFromJsonAsync<BulkResponse>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)), null);
                if ((int)response.StatusCode < 500)
                {
                    AnsiConsole.MarkupLine($"[red]The API refused the batch:[/] {(int)response.StatusCode} {Markup.Escape(await response.Content.ReadAsStringAsync())}");
                    return (null, response.StatusCode switch
                    {
                        System.Net.HttpStatusCode.Unauthorized => "the key was not accepted (401); check --key and run again",
                        System.Net.HttpStatusCode.Forbidden => $"this key may not write {kind} for this organization (403); use a key of the organization, or an agency key",
                        var status => $"{(int)status} {status}; fix what the answer above names and run again",
                    });
                }
            }
            catch (HttpRequestException e)
            {
                AnsiConsole.MarkupLine($"[yellow]attempt {attempt}:[/] {Markup.Escape(e.Message)}");
            }
            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        return (null, null);
    }
}
