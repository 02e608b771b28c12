using System.Net;
using System.Text;

namespace Marketplace.Tests;

/// <summary>One request a <see cref="ScriptedNode"/> received, with the media type it asked for.</summary>
public sealed record ScriptedRequest(string Method, string Path, string Body, string? Accept);

/// <summary>
/// An HTTP peer on loopback that answers each request from a script, in the shape of the server it
/// stands for (Elasticsearch, the API's health endpoint), and records what it was sent.
/// </summary>
public sealed class ScriptedNode : IDisposable
{
    readonly HttpListener _listener;
    readonly Func<string, string, string, (int Status, string Body)> _answer;
    readonly List<ScriptedRequest> _requests = [];

    public string Url { get; }

    /// <summary>What the node was sent, in order (a copy: requests may still be arriving).</summary>
    public IReadOnlyList<ScriptedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    public ScriptedNode(Func<string, string, string, (int, string)> answer)
    {
        _answer = answer;
        // A port the system just handed out and released; another process can still take it
        // before the listener does, so a few attempts.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener = new HttpListener();
            _listener.Prefixes.Add(Url + "/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }
        _ = Task.Run(ServeAsync);
    }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            // The Elasticsearch client compresses request bodies (gzip), as a real node accepts.
            Stream input = context.Request.Headers["Content-Encoding"] == "gzip"
                ? new System.IO.Compression.GZipStream(context.Request.InputStream, System.IO.Compression.CompressionMode.Decompress)
                : context.Request.InputStream;
            var body = await new StreamReader(input).ReadToEndAsync();
            var path = context.Request.Url!.PathAndQuery;
            lock (_requests) _requests.Add(new ScriptedRequest(context.Request.HttpMethod, path, body, context.Request.Headers["Accept"]));
            var (status, answer) = _answer(context.Request.HttpMethod, path, body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            var bytes = Encoding.UTF8.GetBytes(answer);
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up on this request (a shell that was killed, a cancelled call): nothing to answer.
            }
        }
    }

    public void Dispose() => _listener.Close();
}
