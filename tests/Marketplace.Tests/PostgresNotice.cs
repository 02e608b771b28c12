namespace Marketplace.Tests;

/// <summary>Says once, in the test run's output, that the PostgreSQL half of the suite did not run.</summary>
[SetUpFixture]
public sealed class PostgresNotice
{
    [OneTimeSetUp]
    public void Announce()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Postgres.Variable)))
            TestContext.Progress.WriteLine(
                $"NOTE: PostgreSQL tests are skipped: {Postgres.Variable} is not set (bash .ci/run sets it after starting a local server).");
    }
}
