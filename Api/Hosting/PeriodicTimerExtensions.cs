namespace Marketplace.Api.Hosting;

public static class PeriodicTimerExtensions
{
    /// <summary>
    /// The next tick, or false once the host stops: also when it stops before it ever started (a busy
    /// port), which is no failure of the background service and is not reported as one.
    /// </summary>
    public static async Task<bool> TickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
