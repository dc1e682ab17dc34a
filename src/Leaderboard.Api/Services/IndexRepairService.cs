namespace Leaderboard.Api.Services;

/// <summary>Every second, hands writes that missed the index back to <see cref="IndexMaintenance"/> once Redis answers.</summary>
internal sealed class IndexRepairService(IndexMaintenance maintenance, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await maintenance.RepairMissedWritesAsync();
        }
    }
}
