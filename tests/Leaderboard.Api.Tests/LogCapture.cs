using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Api.Tests;

/// <summary>One log entry: its category, level, message, and everything it carried rendered as text.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The entry's level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="AllText">The message, every structured value, every scope and the exception, as one string.</param>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string AllText);

/// <summary>
/// An in-memory logger provider for the API instances of a fixture: every entry it lets through,
/// with its structured values, scopes and exception, so tests can look for what was (not) logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>The entries so far, oldest first.</summary>
    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>The entries whose message contains every one of <paramref name="fragments"/>.</summary>
    public IReadOnlyList<CapturedLog> Matching(params string[] fragments) =>
        [.. _entries.Where(entry => fragments.All(fragment => entry.Message.Contains(fragment, StringComparison.Ordinal)))];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var all = new StringBuilder(message);
            Append(all, state);
            owner._scopes.ForEachScope((scope, text) => Append(text, scope), all);
            if (exception is not null)
            {
                all.Append(' ').Append(exception);
            }

            owner._entries.Enqueue(new CapturedLog(category, logLevel, message, all.ToString()));
        }

        private static void Append(StringBuilder text, object? value)
        {
            if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, item) in pairs)
                {
                    text.Append(' ').Append(key).Append('=').Append(item);
                }
            }
            else
            {
                text.Append(' ').Append(value);
            }
        }
    }
}
