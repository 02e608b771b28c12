using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marketplace.Search;
using Marketplace.Search.Elasticsearch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Marketplace.Tests.Search;

/// <summary>
/// <see cref="ElasticsearchOptions.CertificateFingerprint"/> against a scripted node over https whose
/// certificate is self-signed, as a cluster's own CA is: trusted by its fingerprint, and by nothing else.
/// </summary>
public sealed class ElasticsearchCertificateTests
{
    [Test]
    public async Task ANodeIsTrustedByTheFingerprintOfItsCertificate()
    {
        using var certificate = SelfSigned();
        await using var node = await StartAsync(certificate);
        // As openssl prints it: upper-case pairs with colons.
        var fingerprint = string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(p => new string(p)));

        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Urls.Single(), CertificateFingerprint = fingerprint });

        Assert.That(await index.CountAsync(), Is.EqualTo(3));
    }

    [Test]
    public async Task WithoutAFingerprintASelfSignedNodeIsNotTrusted()
    {
        using var certificate = SelfSigned();
        await using var node = await StartAsync(certificate);

        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() =>
            ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Urls.Single() }));

        Assert.That(error!.Message, Does.Contain("SSL"));
    }

    [Test]
    public async Task ANodeWhoseCertificateHasAnotherFingerprintIsNotTrusted()
    {
        using var certificate = SelfSigned();
        using var another = SelfSigned();
        await using var node = await StartAsync(certificate);

        await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions
        {
            Url = node.Urls.Single(),
            CertificateFingerprint = Convert.ToHexStringLower(SHA256.HashData(another.RawData)),
        }));
    }

    [TestCase("2f:3B:9c:aa:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb", "2F3B9CAA00112233445566778899AABBCCDDEEFF00112233445566778899AABB")]
    [TestCase(" 2f3b9caa00112233445566778899aabbccddeeff00112233445566778899aabb\n", "2F3B9CAA00112233445566778899AABBCCDDEEFF00112233445566778899AABB")]
    [TestCase("2f3b9caa", null, TestName = "A SHA-1 or shorter fingerprint is not one")]
    [TestCase("zz3b9caa00112233445566778899aabbccddeeff00112233445566778899aabb", null, TestName = "Hex digits only")]
    public void AFingerprintIsReadWithOrWithoutColons(string configured, string? hex) =>
        Assert.That(ElasticsearchOptions.HexFingerprint(configured), Is.EqualTo(hex));

    static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=elasticsearch-http-ca", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel wants the key with the certificate, as a PKCS#12 load gives it.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>An https node on a free loopback port answering as a 9.x cluster with an index of 3 listings.</summary>
    static async Task<WebApplication> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path + context.Request.QueryString;
            var (status, body) = context.Request.Path == "/listings/_count"
                ? (200, """{"count":3,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""")
                : ElasticsearchProtocolTests.Cluster(context.Request.Method, path, aliasExists: true);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return app;
    }
}
