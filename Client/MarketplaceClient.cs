using System.Net;
using Marketplace.Client.Generated;
using Marketplace.Client.Generated.Api.V1;
using Marketplace.Client.Generated.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace Marketplace.Client;

/// <summary>
/// The Marketplace API from .NET. <see cref="V1"/> is the whole API as Kiota generates it from the
/// served OpenAPI document (<c>client.V1.Offers.PostAsync(…)</c>, <c>client.V1.Needs[id].Matches.GetAsync(…)</c>);
/// this class adds what a generator cannot: <see cref="UploadAsync"/> (bulk from a stream, with
/// progress), reads and changes that carry the ETag (<see cref="GetListingAsync"/>,
/// <see cref="UpdateListingAsync"/>), retries of 429 and 503 that honour <c>Retry-After</c>, and
/// problems as typed exceptions (<see cref="ProblemDetails"/>, <see cref="HttpValidationProblemDetails"/>)
/// whose <c>Message</c> is the API's localized detail.
/// </summary>
public sealed partial class MarketplaceClient : IDisposable
{
    readonly HttpClient _http;
    readonly MarketplaceApiClient _generated;

    /// <param name="baseAddress">Where the API answers, e.g. <c>https://marketplace.example.org</c>.</param>
    /// <param name="options">Key, language, retries; read once, here.</param>
    /// <param name="innerHandler">
    /// What sends the requests (default: a <see cref="SocketsHttpHandler"/> the client owns); one passed
    /// here stays the caller's, undisposed, so it can be shared. Tests pass an in-process server's.
    /// </param>
    public MarketplaceClient(Uri baseAddress, MarketplaceClientOptions? options = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var given = options ?? new MarketplaceClientOptions();
        Options = new MarketplaceClientOptions
        {
            ApiKey = given.ApiKey, Language = given.Language, MaxRetries = given.MaxRetries,
            RetryDelaySeconds = given.RetryDelaySeconds, Timeout = given.Timeout,
        };
        if (Options.MaxRetries is < 0 or > 10) throw new ArgumentOutOfRangeException(nameof(options), Options.MaxRetries, "MaxRetries is 0 to 10.");
        if (Options.RetryDelaySeconds is < 0 or > 180)
            throw new ArgumentOutOfRangeException(nameof(options), Options.RetryDelaySeconds, "RetryDelaySeconds is 0 to 180.");
        var maxRetries = Options.MaxRetries;
        var retry = new RetryHandlerOption
        {
            // Kiota's handler throws once its MaxRetry is used up; stopping through ShouldRetry below
            // it instead returns the last answer, which then arrives as the API's typed 429 or 503 problem.
            MaxRetry = 10,
            Delay = Options.RetryDelaySeconds,
            ShouldRetry = (_, attempt, response) => attempt < maxRetries
                && response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable,
        };
        // Kiota's middleware (retry, redirect, headers inspection…) in front of the handler that sends.
        var pipeline = KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(
            innerHandler ?? KiotaClientFactory.GetDefaultHttpMessageHandler(), [.. KiotaClientFactory.CreateDefaultHandlers([retry])])!;
        _http = new HttpClient(pipeline, disposeHandler: innerHandler is null) { Timeout = Options.Timeout };
        var adapter = new HttpClientRequestAdapter(new RequestDefaults(Options.ApiKey, Options.Language), httpClient: _http)
        {
            BaseUrl = baseAddress.ToString().TrimEnd('/'),
        };
        _generated = new MarketplaceApiClient(adapter);
    }

    /// <summary>A copy of the options this client was made with (changing it changes nothing).</summary>
    public MarketplaceClientOptions Options { get; }

    /// <summary>Every operation of <c>/api/v1</c>, as generated from the OpenAPI document.</summary>
    public V1RequestBuilder V1 => _generated.Api.V1;

    /// <summary>A listing with the ETag to send back when changing it.</summary>
    public async Task<Versioned<ListingResponse>> GetListingAsync(ListingKind kind, string id, CancellationToken cancellationToken = default)
    {
        var headers = ResponseHeaders();
        var listing = kind == ListingKind.Offer
            ? await V1.Offers[id].GetAsync(c => c.Options.Add(headers), cancellationToken).ConfigureAwait(false)
            : await V1.Needs[id].GetAsync(c => c.Options.Add(headers), cancellationToken).ConfigureAwait(false);
        return new(listing!, ETagOf(headers));
    }

    /// <summary>
    /// Publishes a listing, or with an <c>externalRef</c> already stored, updates that one (never a
    /// duplicate); answers it with its ETag.
    /// </summary>
    public async Task<Versioned<ListingResponse>> PublishAsync(ListingKind kind, ListingRequest listing, CancellationToken cancellationToken = default)
    {
        var headers = ResponseHeaders();
        var stored = kind == ListingKind.Offer
            ? await V1.Offers.PostAsync(listing, c => c.Options.Add(headers), cancellationToken).ConfigureAwait(false)
            : await V1.Needs.PostAsync(listing, c => c.Options.Add(headers), cancellationToken).ConfigureAwait(false);
        return new(stored!, ETagOf(headers));
    }

    /// <summary>
    /// Replaces a listing. With <paramref name="ifMatch"/> (the ETag of the version read), only if nobody
    /// changed it since; otherwise the API answers 412, thrown as a <see cref="ProblemDetails"/> with
    /// <c>ResponseStatusCode</c> 412: read it again and retry.
    /// </summary>
    public async Task<Versioned<ListingResponse>> UpdateListingAsync(ListingKind kind, string id, ListingRequest listing, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        var headers = ResponseHeaders();
        void Configure(RequestConfiguration<DefaultQueryParameters> c)
        {
            c.Options.Add(headers);
            if (ifMatch is not null) c.Headers.Add("If-Match", ifMatch);
        }
        var stored = kind == ListingKind.Offer
            ? await V1.Offers[id].PutAsync(listing, Configure, cancellationToken).ConfigureAwait(false)
            : await V1.Needs[id].PutAsync(listing, Configure, cancellationToken).ConfigureAwait(false);
        return new(stored!, ETagOf(headers));
    }

    /// <summary>Archives a listing; with <paramref name="ifMatch"/>, only the version read (else 412).</summary>
    public Task ArchiveListingAsync(ListingKind kind, string id, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        void Configure(RequestConfiguration<DefaultQueryParameters> c)
        {
            if (ifMatch is not null) c.Headers.Add("If-Match", ifMatch);
        }
        return kind == ListingKind.Offer
            ? V1.Offers[id].DeleteAsync(Configure, cancellationToken)
            : V1.Needs[id].DeleteAsync(Configure, cancellationToken);
    }

    static HeadersInspectionHandlerOption ResponseHeaders() => new() { InspectResponseHeaders = true };

    static string? ETagOf(HeadersInspectionHandlerOption headers) =>
        headers.ResponseHeaders.TryGetValue("ETag", out var values) ? values.FirstOrDefault() : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Adds the key and the language to every request.</summary>
    sealed class RequestDefaults(string? apiKey, string? language) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            if (!string.IsNullOrEmpty(apiKey)) request.Headers.TryAdd("X-Api-Key", apiKey);
            if (!string.IsNullOrEmpty(language)) request.Headers.TryAdd("Accept-Language", language);
            return Task.CompletedTask;
        }
    }
}

/// <summary>A resource as read, with its ETag (e.g. <c>"3"</c>): send it back as If-Match to change it safely.</summary>
public sealed record Versioned<T>(T Value, string? ETag);
