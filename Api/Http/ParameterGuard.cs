using Marketplace.Api.Validation;

namespace Marketplace.Api.Http;

/// <summary>
/// Query parameters and path segments holding control characters are refused before any handler
/// runs, so no lookup, SQL or index query ever sees them (PostgreSQL cannot even store NUL). Tabs
/// and line breaks may stand in a query value (a pasted search text), never in a path.
/// </summary>
public static class ParameterGuard
{
    public static async Task RejectControlCharacters(HttpContext http, Func<Task> next)
    {
        foreach (var (name, values) in http.Request.Query)
            if (ControlCharacters.In(name) || values.Any(v => ControlCharacters.In(v, allowLineBreaks: true)))
            {
                await Refuse(http, name);
                return;
            }
        foreach (var (name, value) in http.Request.RouteValues)
            if (value is string text && ControlCharacters.In(text))
            {
                await Refuse(http, name);
                return;
            }
        await next();
    }

    static Task Refuse(HttpContext http, string parameter) =>
        Problems.Validation(ControlCharacters.In(parameter) ? "$query" : parameter, Messages.Get(Messages.ControlCharacters)).ExecuteAsync(http);
}
