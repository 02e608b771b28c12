using System.Diagnostics;

namespace Marketplace.Tests.Processes;

/// <summary>The importer's advice when it stops: a refused key is no reason to "rerun to resume".</summary>
[NonParallelizable]
public sealed class ImporterTests
{
    [Test]
    public async Task AnUnacceptedKeyIsNamedAndNoResumeIsAdvised()
    {
        var work = Path.Combine(Path.GetTempPath(), "marketplace-importer", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var file = Path.Combine(work, "offers.ndjson");
            await File.WriteAllTextAsync(file, """
                {"externalRef":"ru-1","title":{"ru":"Погружной насос"},"description":{"ru":"Насос для шахтного водоотлива."},"field":"transport-machinery","trl":7,"cooperationForms":["licensing"],"country":"RU"}
                """ + "\n");
            using var api = await ApiProcess.StartAsync(Path.Combine(work, "data"), null);
            var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "marketplace.dll"),
                "import", file, "--kind", "offers", "--api", api.Url, "--key", "mk_not-a-key-of-this-api-0000000000000"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var cli = Process.Start(info)!;
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await cli.WaitForExitAsync(timeout.Token);
            var said = await output + await error;

            Assert.That(cli.ExitCode, Is.Not.Zero);
            Assert.That(said, Does.Contain("401").And.Contain("check --key"));
            Assert.That(said, Does.Not.Contain("rerun"), "running again with the same key cannot help");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
