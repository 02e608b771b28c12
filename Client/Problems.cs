using System.Globalization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Marketplace.Client.Generated.Models;

/// <summary>
/// What both problem types of the API say: an RFC 9457 problem whose <c>Title</c> and <c>Detail</c>
/// (the exception's <c>Message</c>) are in the client's language.
/// </summary>
public interface IMarketplaceProblem
{
    /// <summary>The HTTP status.</summary>
    int? Status { get; }
    /// <summary>A short summary, localized.</summary>
    string? Title { get; }
    /// <summary>What went wrong, localized.</summary>
    string? Detail { get; }
    /// <summary>The request's trace id, to quote when asking for support.</summary>
    string? TraceId { get; }
    /// <summary>Each refused member (e.g. <c>title.zh</c>) with its localized messages; empty when none is named.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> MemberErrors { get; }
    /// <summary>How long the API asked to wait (429, 503) before trying again.</summary>
    TimeSpan? RetryAfter { get; }
    /// <summary>The problem as a person reads it: status, title and detail, each refused member with its messages, the trace id.</summary>
    string Describe();
}

public partial class ProblemDetails : IMarketplaceProblem
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MemberErrors => ProblemText.NoErrors;
    /// <inheritdoc />
    public TimeSpan? RetryAfter => ProblemText.RetryAfter(this);
    /// <inheritdoc />
    public string Describe() => ProblemText.Describe(this);
    /// <summary>The exception's type, the problem (<see cref="Describe"/>), and the stack trace.</summary>
    public override string ToString() => ProblemText.WithStack(this, base.ToString());
}

public partial class HttpValidationProblemDetails : IMarketplaceProblem
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MemberErrors => ProblemText.Errors(Errors?.AdditionalData);
    /// <inheritdoc />
    public TimeSpan? RetryAfter => ProblemText.RetryAfter(this);
    /// <inheritdoc />
    public string Describe() => ProblemText.Describe(this);
    /// <summary>The exception's type, the problem (<see cref="Describe"/>) with each refused member, and the stack trace.</summary>
    public override string ToString() => ProblemText.WithStack(this, base.ToString());
}

public partial class LineProblem
{
    /// <summary>Each refused member of the line with its localized messages; empty when none is named.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MemberErrors => ProblemText.Errors(Errors?.AdditionalData);

    /// <summary>The members and their messages, else the detail, else the title.</summary>
    public override string ToString() =>
        MemberErrors.Count > 0 ? string.Join("; ", MemberErrors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : Detail ?? Title ?? "";
}

static class ProblemText
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The <c>errors</c> object of a problem, whose members Kiota keeps as additional data.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Errors(IDictionary<string, object>? data)
    {
        if (data is null || data.Count == 0) return NoErrors;
        return data.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)Strings(e.Value).ToList());
    }

    static IEnumerable<string> Strings(object? value) => value switch
    {
        null => [],
        string text => [text],
        UntypedString text => text.GetValue() is { } s ? [s] : [],
        UntypedArray array => array.GetValue().SelectMany(Strings),
        UntypedNode node => [node.ToString() ?? ""],
        IEnumerable<object> items => items.SelectMany(Strings),
        _ => [value.ToString() ?? ""],
    };

    public static TimeSpan? RetryAfter(ApiException problem)
    {
        var header = problem.ResponseHeaders.FirstOrDefault(h => h.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (header is null) return null;
        if (int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }

    public static string Describe(IMarketplaceProblem problem)
    {
        var text = $"{problem.Status} {problem.Title} {problem.Detail}".Trim();
        foreach (var (member, messages) in problem.MemberErrors) text += $"\n  {member}: {string.Join(" ", messages)}";
        if (problem.TraceId is not null) text += $"\n  traceId: {problem.TraceId}";
        return text;
    }

    /// <summary>As Exception.ToString, the problem in place of its message: "Type: problem", then the stack trace.</summary>
    public static string WithStack(IMarketplaceProblem problem, string exception)
    {
        var stack = exception.IndexOf("\n   at ", StringComparison.Ordinal);
        return $"{problem.GetType().FullName}: {Describe(problem)}" + (stack < 0 ? "" : exception[stack..]);
    }
}
