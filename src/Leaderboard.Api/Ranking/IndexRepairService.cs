namespace Leaderboard.Api.Ranking;

/// <summary>Every second, hands writes that missed the index back to <see cref="IndexMaintenance"/> once Redis answers.</summary>
internal sealed class IndexRepairService(IndexMaintenance maintenance) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wall-clock polling, not the business clock: repairs must run even while tests hold time still.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await maintenance.RepairMissedWritesAsync();
        }
    }
}
