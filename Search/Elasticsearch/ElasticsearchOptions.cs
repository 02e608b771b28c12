namespace Marketplace.Search.Elasticsearch;

/// <summary>Where the scale-out engine is and how to reach it.</summary>
public sealed class ElasticsearchOptions
{
    public string Url { get; set; } = "http://localhost:9200";
    /// <summary>The alias clients read and write; it points at one versioned index, <c>{Index}-v{n}</c>.</summary>
    public string Index { get; set; } = "listings";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? ApiKey { get; set; }
}
