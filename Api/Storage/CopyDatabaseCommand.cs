using Marketplace.Api.Hosting;

namespace Marketplace.Api.Storage;

/// <summary>
/// <c>dotnet run --project Api -- copy-database "Host=...;Database=marketplace;Username=...;Password=..."</c>:
/// copies the configured (embedded) database into an empty PostgreSQL database.
/// </summary>
public static class CopyDatabaseCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("Usage: copy-database <PostgreSQL connection string>   (the source is the configured Marketplace database)");
            return 2;
        }
        var builder = WebApplication.CreateBuilder();
        var options = builder.Configuration.GetSection(MarketplaceOptions.Section).Get<MarketplaceOptions>() ?? new MarketplaceOptions();
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("Marketplace.Copy");
        try
        {
            var source = new Db(options, builder.Configuration.GetConnectionString("Marketplace"));
            var target = new Db(new MarketplaceOptions { Database = { Provider = "postgres" } }, args[0]);
            var counts = await DatabaseCopy.CopyAsync(source, target, logger, CancellationToken.None);
            await Console.Out.WriteLineAsync($"Copied {string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}. " +
                "Start the API on PostgreSQL (and Elasticsearch): the search index is rebuilt from the database at first start.");
            return 0;
        }
        catch (Exception e) when (e is StartupProblem or InvalidOperationException or System.Data.Common.DbException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"copy-database failed: {e.Message}");
            return 1;
        }
    }
}
