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

    /// <summary>
    /// <c>Marketplace:Search:Elasticsearch:CertificateFingerprint</c>: the SHA-256 fingerprint of the
    /// cluster's HTTP CA certificate, or of the node's own certificate, in hex with or without colons:
    /// as Elasticsearch 9 prints it at first start with security on ("HTTP CA certificate SHA-256
    /// fingerprint"), or as <c>openssl x509 -noout -fingerprint -sha256 -in http_ca.crt</c> does.
    /// When set, the client trusts the server when a certificate of the chain it presents has this
    /// fingerprint, and only then: the system's trusted authorities and the host name are not checked
    /// (that is how a cluster's self-signed CA is trusted without installing it). Leave it empty for a
    /// certificate the system already trusts, and for http.
    /// </summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>
    /// A SHA-256 fingerprint as 64 upper-case hex digits, colons, dashes and spaces removed; null when
    /// <paramref name="fingerprint"/> is not one.
    /// </summary>
    public static string? HexFingerprint(string fingerprint)
    {
        var hex = new string(fingerprint.Where(c => c is not (':' or '-') && !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }
}
