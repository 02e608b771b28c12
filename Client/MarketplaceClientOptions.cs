namespace Marketplace.Client;

/// <summary>How a <see cref="MarketplaceClient"/> calls the API.</summary>
public sealed class MarketplaceClientOptions
{
    /// <summary>The key sent as <c>X-Api-Key</c>; none for reading published listings and matches.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The language of the API's messages: <c>zh</c>, <c>ru</c> or <c>en</c> (sent as <c>Accept-Language</c>).
    /// Problems arrive in it: <c>必须填写“title”。</c>, <c>Не найдено: запрос с id «nd_1».</c>
    /// </summary>
    public string? Language { get; set; }

    /// <summary>
    /// How often an answer 429 (too many requests) or 503 (unavailable) is retried, at most 10; 0 never.
    /// The wait is the answer's <c>Retry-After</c>, else <see cref="RetryDelaySeconds"/> doubled per attempt.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait before a retry when the answer names none, 0 to 180 seconds; doubled per attempt.</summary>
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>How long one call may take, its retries and their waits included (a bulk batch is one call).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}
