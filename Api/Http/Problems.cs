using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Http;

/// <summary>Problem+json answers with localized title and detail.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: Messages.TitleFor(status));

    public static ProblemHttpResult NotFound(string kind, string id) =>
        Of(StatusCodes.Status404NotFound, Messages.Get(Messages.NotFoundDetail, Messages.Noun(kind), id));

    public static ProblemHttpResult Forbidden(string? detail = null) =>
        Of(StatusCodes.Status403Forbidden, detail ?? Messages.Get(Messages.ForbiddenDetail));

    public static ProblemHttpResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, detail);

    public static ProblemHttpResult PreconditionFailed(string expected, long current) =>
        Of(StatusCodes.Status412PreconditionFailed, Messages.Get(Messages.PreconditionDetail, expected, current));

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: Messages.Get(Messages.ValidationDetail), title: Messages.Get(Messages.ValidationTitle));

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Writes a problem from outside an endpoint (authentication, rate limiting, unhandled errors):
    /// through the problem-details service, or as plain problem+json when the request's Accept names
    /// nothing that service can write (a client asking for XML still learns what went wrong).
    /// </summary>
    public static async Task WriteAsync(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem })) return;
        await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
