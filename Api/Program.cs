using Marketplace.Api.Alerts;
using Marketplace.Api.Workflow;
using Marketplace.Api.Admin;
using Marketplace.Api.Auth;
using Marketplace.Api.Hosting;
using Marketplace.Api.Glossary;
using Marketplace.Api.Lexicon;
using Marketplace.Api.Listings;
using Marketplace.Api.Matches;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

if (args.FirstOrDefault() == "copy-database")
    return await Marketplace.Api.Storage.CopyDatabaseCommand.RunAsync(args[1..]);

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(args);
    ListenAddresses.EnsureFree(builder.Configuration);
    builder.AddMarketplace();
    app = builder.Build();
    await app.InitializeMarketplaceAsync();
}
catch (StartupProblem problem)
{
    // One sentence for the operator, no stack trace.
    await Console.Error.WriteLineAsync($"Marketplace cannot start: {problem.Message}");
    return 1;
}

// Localization first, so that problems written by the handlers below follow Accept-Language.
app.UseRequestLocalization();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
// After authentication (limits are per key) and before unknown keys are answered (so that guessing keys is limited too).
app.UseRateLimiter();
app.Use(ApiKeyAuthenticationHandler.RejectInvalidKeys);
app.Use(Marketplace.Api.Http.ParameterGuard.RejectControlCharacters);
app.UseAuthorization();

app.MapOpenApi();
app.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "v1");
    o.DocumentTitle = "Marketplace API";
});
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
// Load balancers and orchestrators poll these: never rate-limited.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync })
    .DisableRateLimiting();

app.MapListings(ListingKind.Offer);
app.MapListings(ListingKind.Need);
app.MapReviews();
app.MapWorkflow();
app.MapRecommendations();
app.MapReports();
app.MapAlerts();
app.MapOrganizations();
app.MapApiKeys();
app.MapMatches();
app.MapGlossary();
app.MapLexicon();
app.MapAdmin();

await app.RunAsync();
return 0;

public partial class Program;
