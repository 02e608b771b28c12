using System.Diagnostics;

namespace Marketplace.Tests.Http;

/// <summary>A wrong setting stops the start with one sentence naming it, not a stack trace.</summary>
public sealed class StartupTests
{
    static (int ExitCode, string Error) Start(params (string Name, string Value)[] environment) =>
        StartAt("http://127.0.0.1:0", environment).Error;

    static ((int ExitCode, string Error) Error, string Output) StartAt(string urls, params (string Name, string Value)[] environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Marketplace.Api.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", urls])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["Marketplace__DataDir"] = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The API started although its configuration is wrong.");
        }
        return ((process.ExitCode, error.Result.Trim()), output.Result);
    }

    [Test]
    public void ABusyPortIsNamedInOneSentence()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)other.LocalEndpoint).Port}";

        var ((exitCode, error), output) = StartAt(url);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.StartWith("Marketplace cannot start:").And.Contain(url).And.Contain("in use"));
        Assert.That(error.Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
        Assert.That(output, Does.Not.Contain("   at "), "nothing logged with a stack trace either");
    }

    [TestCase("Marketplace__Database__Provider", "oracle", "Marketplace:Database:Provider")]
    [TestCase("Marketplace__Search__Provider", "solr", "Marketplace:Search:Provider")]
    public void AnUnknownProviderIsNamed(string variable, string value, string setting)
    {
        var (exitCode, error) = Start((variable, value));
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.StartWith("Marketplace cannot start:").And.Contain(setting).And.Contain(value));
        Assert.That(error.Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
    }

    [TestCase("2f3b9caa", "https://127.0.0.1:1", "is not a SHA-256 fingerprint", TestName = "A fingerprint that is none is named")]
    [TestCase("2f3b9caa00112233445566778899aabbccddeeff00112233445566778899aabb", "http://127.0.0.1:1", "is not https://", TestName = "A fingerprint for an http URL is named")]
    public void AWrongCertificateFingerprintIsNamed(string fingerprint, string url, string problem)
    {
        var (exitCode, error) = Start(
            ("Marketplace__Search__Provider", "elasticsearch"),
            ("Marketplace__Search__Elasticsearch__Url", url),
            ("Marketplace__Search__Elasticsearch__CertificateFingerprint", fingerprint));
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.StartWith("Marketplace cannot start:")
            .And.Contain("Marketplace:Search:Elasticsearch:CertificateFingerprint").And.Contain(problem));
        Assert.That(error.Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("Marketplace__Search__LuceneMemoryMB", "lots", "Marketplace:Search:LuceneMemoryMB", TestName = "A number that is no number")]
    [TestCase("Marketplace__RateLimits__PerKeyPerSecond", "-1", "Marketplace:RateLimits:PerKeyPerSecond", TestName = "A negative rate")]
    [TestCase("Marketplace__Indexing__MaxRefusals", "0", "Marketplace:Indexing:MaxRefusals", TestName = "Parking at no refusal")]
    [TestCase("Marketplace__Auth__BootstrapAdminKey", "short", "Marketplace:Auth:BootstrapAdminKey", TestName = "A guessable bootstrap key")]
    public void AValueThatMakesNoSenseIsNamed(string variable, string value, string setting)
    {
        var (exitCode, error) = Start((variable, value));
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.StartWith("Marketplace cannot start:").And.Contain(setting));
        Assert.That(error.Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
    }

    [Test]
    public void AnUnreachablePostgresIsNamed()
    {
        var (exitCode, error) = Start(
            ("Marketplace__Database__Provider", "postgres"),
            ("ConnectionStrings__Marketplace", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=3"));
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("ConnectionStrings:Marketplace"));
        Assert.That(error.Split('\n'), Has.Length.EqualTo(1));
    }
}
