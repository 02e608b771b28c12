using System.Diagnostics;
using System.Text;
using Marketplace.Client.Generated.Models;

namespace Marketplace.Client;

/// <summary>How <see cref="MarketplaceClient.UploadAsync"/> cuts a stream into requests.</summary>
public sealed class BulkUploadOptions
{
    /// <summary>Lines per request. Each request is stored before the next is sent, so a stop loses at most one batch's progress.</summary>
    public int BatchLines { get; set; } = 1000;

    /// <summary>Bytes per request at most (a batch is cut earlier when its lines are long).</summary>
    public int BatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Lines of the stream already stored (from a <see cref="BulkUploadException.LinesDone"/>): skipped, to resume there.</summary>
    public long SkipLines { get; set; }

    /// <summary>
    /// How often a batch is sent again when the connection fails (the API unreachable, reset, timed out)
    /// or a proxy or the server answers 500, 502 or 504, waiting 2, 4, 8… seconds. Safe: every line has
    /// an <c>externalRef</c>, so a line stored twice is <c>unchanged</c>, never a duplicate. Answers 429
    /// and 503 are retried by the client itself (<see cref="MarketplaceClientOptions.MaxRetries"/>).
    /// </summary>
    public int TransportRetries { get; set; } = 4;

    /// <summary>Refused lines kept in the result (they are all counted in <see cref="BulkResult.Failed"/>).</summary>
    public int MaxErrors { get; set; } = 1000;
}

/// <summary>Where an upload stands after a batch: lines of the stream done so far and what became of them.</summary>
/// <param name="Lines">Lines of the stream stored or refused so far, counting skipped ones (the number to resume after).</param>
/// <param name="Created">Listings created.</param>
/// <param name="Updated">Listings that changed.</param>
/// <param name="Unchanged">Listings sent again as they were.</param>
/// <param name="Failed">Lines refused.</param>
/// <param name="Elapsed">Time since the upload started.</param>
public sealed record BulkProgress(long Lines, long Created, long Updated, long Unchanged, long Failed, TimeSpan Elapsed)
{
    /// <summary>Lines sent per second in this upload.</summary>
    public double LinesPerSecond(long skipped) => (Lines - skipped) / Math.Max(0.001, Elapsed.TotalSeconds);
}

/// <summary>What an upload did; <see cref="Errors"/> numbers lines from the start of the stream.</summary>
public sealed record BulkResult(long Lines, long Created, long Updated, long Unchanged, long Failed, IReadOnlyList<BulkLineError> Errors, TimeSpan Elapsed);

/// <summary>
/// An upload stopped part way: the API refused a batch (<see cref="Exception.InnerException"/> is its
/// problem) or stayed unreachable. <see cref="LinesDone"/> lines are stored; resume with
/// <see cref="BulkUploadOptions.SkipLines"/> set to it.
/// </summary>
public sealed class BulkUploadException(long linesDone, BulkProgress progress, IReadOnlyList<BulkLineError> errors, Exception inner)
    : Exception($"The upload stopped after line {linesDone}: {inner.Message}", inner)
{
    /// <summary>Lines of the stream stored or refused before the stop.</summary>
    public long LinesDone { get; } = linesDone;

    /// <summary>The counts up to the stop.</summary>
    public BulkProgress Progress { get; } = progress;

    /// <summary>The lines refused before the stop, numbered from the start of the stream.</summary>
    public IReadOnlyList<BulkLineError> Errors { get; } = errors;
}

public sealed partial class MarketplaceClient
{
    /// <summary>
    /// Uploads NDJSON (one listing per line, each with its <c>externalRef</c>) to <c>/api/v1/offers/bulk</c>
    /// or <c>/api/v1/needs/bulk</c> in batches, reporting after each one. Refused lines do not stop it;
    /// they are counted and listed with their localized problems. Uploading the same stream again changes
    /// nothing (<c>unchanged</c>).
    /// </summary>
    /// <exception cref="BulkUploadException">A batch was refused as a whole, or the API stayed unreachable.</exception>
    public Task<BulkResult> UploadAsync(ListingKind kind, Stream ndjson, BulkUploadOptions? options = null, IProgress<BulkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ndjson);
        return UploadLinesAsync(kind, ReadLinesAsync(ndjson, cancellationToken), options, progress, cancellationToken);
    }

    /// <summary>As <see cref="UploadAsync"/>, from lines already read (e.g. with <see cref="ReadLinesAsync"/>, rewritten on the way).</summary>
    public async Task<BulkResult> UploadLinesAsync(ListingKind kind, IAsyncEnumerable<string> lines, BulkUploadOptions? options = null,
        IProgress<BulkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new BulkUploadOptions();
        if (options.BatchLines < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchLines is at least 1.");
        var watch = Stopwatch.StartNew();
        long line = 0, done = options.SkipLines, created = 0, updated = 0, unchanged = 0, failed = 0;
        var errors = new List<BulkLineError>();
        var batch = new MemoryStream();
        var inBatch = 0;
        BulkProgress Now() => new(done, created, updated, unchanged, failed, watch.Elapsed);

        await foreach (var text in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            line++;
            if (line <= options.SkipLines) continue;
            var bytes = Encoding.UTF8.GetByteCount(text) + 1;
            if (inBatch > 0 && batch.Length + bytes > options.BatchBytes) await SendAsync().ConfigureAwait(false);
            Append(batch, text);
            inBatch++;
            if (inBatch >= options.BatchLines) await SendAsync().ConfigureAwait(false);
        }
        if (inBatch > 0) await SendAsync().ConfigureAwait(false);
        return new BulkResult(done, created, updated, unchanged, failed, errors, watch.Elapsed);

        async Task SendAsync()
        {
            var first = done + 1;
            BulkResponse answer;
            try
            {
                answer = await PostBatchAsync(kind, batch, options.TransportRetries, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new BulkUploadException(done, Now(), errors, e);
            }
            created += answer.Created ?? 0;
            updated += answer.Updated ?? 0;
            unchanged += answer.Unchanged ?? 0;
            failed += answer.Failed ?? 0;
            // The API numbers lines within the request; the stream numbers them from its start.
            foreach (var error in answer.Errors ?? [])
            {
                if (errors.Count >= options.MaxErrors) break;
                error.Line += first - 1;
                errors.Add(error);
            }
            done += inBatch;
            inBatch = 0;
            batch.SetLength(0);
            progress?.Report(Now());
        }
    }

    async Task<BulkResponse> PostBatchAsync(ListingKind kind, MemoryStream batch, int transportRetries, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // A fresh read-only view of the batch per attempt: sending disposes the request's stream.
            var body = new MemoryStream(batch.GetBuffer(), 0, (int)batch.Length, writable: false);
            try
            {
                var answer = kind == ListingKind.Offer
                    ? await V1.Offers.Bulk.PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await V1.Needs.Bulk.PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                return answer!;
            }
            catch (Exception e) when (attempt < transportRetries && IsTransportFailure(e, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt + 1)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The connection failed or timed out (not the caller cancelling), or what answered failed on the way
    /// (500, 502, 504); not a refusal of the API.
    /// </summary>
    static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException => true,
        TaskCanceledException or TimeoutException => !cancellationToken.IsCancellationRequested,
        Microsoft.Kiota.Abstractions.ApiException { ResponseStatusCode: 500 or 502 or 504 } => true,
        _ => false,
    };

    static void Append(MemoryStream batch, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        batch.Write(bytes);
        batch.WriteByte((byte)'\n');
    }

    /// <summary>
    /// The stream's lines as the API counts them: split at <c>\n</c> only (a <c>\r</c> before it is
    /// dropped; one inside a line stays, as JSON whitespace), so line numbers agree with the server's.
    /// </summary>
    public static async IAsyncEnumerable<string> ReadLinesAsync(Stream stream,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                line.Append(buffer, start, i - start);
                yield return Line(line);
                line.Clear();
                start = i + 1;
            }
            line.Append(buffer, start, read - start);
        }
        if (line.Length > 0) yield return Line(line);

        static string Line(StringBuilder text) =>
            text.Length > 0 && text[^1] == '\r' ? text.ToString(0, text.Length - 1) : text.ToString();
    }
}
