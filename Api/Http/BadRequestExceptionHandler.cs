using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Marketplace.Api.Http;

/// <summary>
/// Turns what model binding rejects (malformed JSON, unknown members, values of the wrong type,
/// unparsable query parameters) into a 400 problem+json naming the member, and anything else
/// into a 500 problem that shows no internals.
/// </summary>
public sealed partial class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger)
    : IExceptionHandler
{
    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnmappedMember();

    /// <summary>ASP.NET Core's <c>Failed to bind parameter "Nullable&lt;int&gt; TrlMin" from "abc".</c></summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[A-Za-z_][A-Za-z0-9_]*)" from "(?<value>.*)"\.?$""", RegexOptions.Singleline)]
    private static partial Regex UnboundParameter();

    const string SearchRetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problem(StatusCodes.Status413PayloadTooLarge, Messages.Get(Messages.BodyTooLarge, Hosting.ServiceSetup.MaxBodyBytes / 1024)),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType =>
                Problem(StatusCodes.Status415UnsupportedMediaType, bad.Message),
            BadHttpRequestException bad when UnboundParameter().Match(bad.Message) is { Success: true } m => FromParameter(m),
            BadHttpRequestException bad => Problem(bad.StatusCode, Messages.Get(Messages.BadParameter, bad.Message)),
            // Reads need the engine; writes do not (the outbox keeps them), so only reads end here.
            Search.SearchEngineUnavailableException => Problem(StatusCodes.Status503ServiceUnavailable, Messages.Get(Messages.SearchUnavailable)),
            _ => null,
        };
        if (problem is null)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, exception);
            problem = Problem(StatusCodes.Status500InternalServerError, Messages.Get(Messages.ServerErrorDetail));
        }
        context.Response.StatusCode = problem.Status!.Value;
        // The engine is usually back within seconds (a restart, a node rejoining); clients retry after this.
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = SearchRetryAfterSeconds;
        // Without the exception: it is logged above, and never shown (a development writer would echo the request, keys included).
        await Problems.WriteAsync(context, problem);
        return true;
    }

    static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(int status, string detail) =>
        new() { Status = status, Title = Messages.TitleFor(status), Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);

    /// <summary>A JSON error as a validation problem naming the member (also used per line of a bulk request).</summary>
    /// <param name="inLine">A line of a bulk request: its problem names the line, not the body.</param>
    public static HttpValidationProblemDetails FromJson(JsonException json, bool inLine = false)
    {
        var path = FieldPath(json.Path);
        string member, message;
        if (UnmappedMember().Match(json.Message) is { Success: true } m)
        {
            var name = m.Groups["name"].Value;
            member = path.Length == 0 ? name : path.EndsWith(name, StringComparison.Ordinal) ? path : $"{path}.{name}";
            message = Messages.Get(Messages.UnknownMember, member);
        }
        else if (json.Path is null || json.InnerException?.GetType().Name == "JsonReaderException")
        {
            // Not a value of the wrong type but a body that is no JSON at all (cut short, say): named as such, not after the member it broke off in.
            member = "$";
            message = Messages.Get(inLine ? Messages.BadJsonLine : Messages.BadJson);
        }
        else
        {
            member = path.Length == 0 ? "$" : path;
            message = Messages.Get(Messages.BadValue);
        }
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [member] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = Messages.Get(Messages.ValidationTitle),
            Detail = Messages.Get(Messages.ValidationDetail),
        };
    }

    /// <summary>
    /// A query or route value that does not parse, as a validation problem naming the parameter as the
    /// client sends it (<c>trlMin</c>, not the C# <c>Nullable&lt;int&gt; TrlMin</c>) and what it should be.
    /// </summary>
    static HttpValidationProblemDetails FromParameter(Match m)
    {
        var name = m.Groups["name"].Value;
        name = char.ToLowerInvariant(name[0]) + name[1..];
        var type = m.Groups["type"].Value;
        var value = m.Groups["value"].Value;
        var message = type switch
        {
            _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase)
                => Messages.Get(Messages.ParameterNotNumber, value),
            _ when type.Contains("bool", StringComparison.OrdinalIgnoreCase) => Messages.Get(Messages.ParameterNotBoolean, value),
            _ => Messages.Get(Messages.ParameterBadValue, value),
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = Messages.Get(Messages.ValidationTitle),
            Detail = Messages.Get(Messages.ValidationDetail),
        };
    }

    /// <summary><c>$.title.zh</c> → <c>title.zh</c>; <c>$.keywords.ru[2]</c> → <c>keywords.ru[2]</c>.</summary>
    static string FieldPath(string? jsonPath) =>
        jsonPath is null ? "" : jsonPath.TrimStart('$').TrimStart('.');
}
