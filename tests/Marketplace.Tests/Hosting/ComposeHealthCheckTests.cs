using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marketplace.Tests.Hosting;

/// <summary>
/// The health checks of docker-compose.yml, run as Docker runs a CMD-SHELL check (<c>sh -c</c> of its
/// string) against a scripted node standing in for the service: each must pass when the service is
/// healthy and fail when it is not. An unquoted URL with <c>&amp;</c> sends curl to the background,
/// and such a check passes whatever the service answers; these tests fail on it.
/// </summary>
public sealed class ComposeHealthCheckTests
{
    const string ClusterHealth = "/_cluster/health?wait_for_status=yellow&timeout=5s";

    // Elasticsearch answers 408 with timed_out when the status is not reached within the timeout.
    [TestCase(200, """{"cluster_name":"docker-cluster","status":"yellow","timed_out":false,"number_of_nodes":1}""", true, TestName = "Elasticsearch check passes on a yellow cluster")]
    [TestCase(408, """{"cluster_name":"docker-cluster","status":"red","timed_out":true,"number_of_nodes":1}""", false, TestName = "Elasticsearch check fails when yellow is not reached")]
    public async Task TheElasticsearchCheckFollowsTheClusterHealth(int status, string body, bool healthy)
    {
        using var node = new ScriptedNode((_, path, _) => path.StartsWith("/_cluster/health") ? (status, body) : (404, "{}"));

        var (exit, errors) = await RunAsync(HealthChecks()["elasticsearch"], "http://localhost:9200", node.Url);

        Assert.That(exit == 0, Is.EqualTo(healthy), $"exit code {exit}; {errors}");
        Assert.That(node.Requests.Single().Path, Is.EqualTo(ClusterHealth), "the whole query reaches the node, wait_for_status and timeout");
    }

    [TestCase(200, true, TestName = "API check passes when ready")]
    [TestCase(503, false, TestName = "API check fails when not ready")]
    public async Task TheApiCheckFollowsReadiness(int status, bool healthy)
    {
        using var node = new ScriptedNode((_, path, _) => path == "/health/ready"
            ? (status, status == 200 ? """{"status":"Healthy"}""" : """{"status":"Unhealthy"}""")
            : (404, "{}"));

        var (exit, errors) = await RunAsync(HealthChecks()["api"], "http://localhost:8080", node.Url);

        Assert.That(exit == 0, Is.EqualTo(healthy), $"exit code {exit}; {errors}");
        Assert.That(node.Requests.Single().Path, Is.EqualTo("/health/ready"));
    }

    // pg_isready speaks PostgreSQL's protocol, not HTTP, and its command has nothing for the shell to misread; it is not run here.
    [Test]
    public void EveryServiceHasAShellHealthCheck() =>
        Assert.That(HealthChecks().Keys, Is.EquivalentTo(new[] { "postgres", "elasticsearch", "api" }));

    /// <summary>Runs a check with its service's address replaced by the scripted node's, bounded in time.</summary>
    static async Task<(int Exit, string Errors)> RunAsync(string command, string serviceUrl, string nodeUrl)
    {
        Assert.That(command, Does.Contain(serviceUrl), "the check must be pointed at the scripted node, not at a real port");
        using var shell = new Process
        {
            StartInfo = new ProcessStartInfo("sh", ["-c", command.Replace(serviceUrl, nodeUrl)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        shell.Start();
        _ = shell.StandardOutput.ReadToEndAsync();
        var errors = shell.StandardError.ReadToEndAsync();
        // A check answers at once from a loopback node; Docker's own timeout for it is 5-10 s.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await shell.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            shell.Kill(entireProcessTree: true);
            Assert.Fail($"'{command}' did not finish within 10 s");
        }
        return (shell.ExitCode, await errors);
    }

    /// <summary>Each service's CMD-SHELL string: the flow sequence <c>test: ["CMD-SHELL", "..."]</c> is JSON.</summary>
    static Dictionary<string, string> HealthChecks()
    {
        var checks = new Dictionary<string, string>();
        string? service = null;
        var inServices = false;
        foreach (var line in File.ReadLines(RepositoryFiles.Find("docker-compose.yml")))
        {
            if (line.TrimStart().StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                inServices = line.StartsWith("services:", StringComparison.Ordinal);
                service = null;
            }
            else if (inServices && Regex.Match(line, @"^  ([\w.-]+):\s*$") is { Success: true } name)
                service = name.Groups[1].Value;
            else if (service is not null && Regex.Match(line, @"^\s+test:\s*(\[.*\])\s*$") is { Success: true } test)
            {
                var parts = JsonSerializer.Deserialize<string[]>(test.Groups[1].Value)!;
                Assert.That(parts[0], Is.EqualTo("CMD-SHELL"), $"the {service} check");
                checks[service] = parts[1];
            }
        }
        return checks;
    }
}
