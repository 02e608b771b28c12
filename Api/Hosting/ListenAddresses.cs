using System.Net;
using System.Net.Sockets;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The addresses the API listens on, checked before anything else starts: Kestrel finds a busy port
/// only after migrations and the index check, and reports it with a stack trace.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Kestrel's address when none is configured.</summary>
    const string Default = "http://localhost:5000";

    /// <summary>Throws a <see cref="StartupProblem"/> naming the first configured address another program holds.</summary>
    public static void EnsureFree(IConfiguration configuration)
    {
        // --urls, ASPNETCORE_URLS and Urls all land in "urls".
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured : Default;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
                || uri.Port <= 0) continue;
            var address = uri.IsLoopback ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? literal
                : null; // a host name: Kestrel resolves it, and reports what it finds
            if (address is null) continue;
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, uri.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new StartupProblem(
                    $"{url} is in use by another program: stop it, or choose another address with --urls (e.g. --urls http://localhost:{uri.Port + 1}).", e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new StartupProblem($"{url} may not be opened by this user (ports below 1024 need privileges): choose another with --urls.", e);
            }
        }
    }
}
