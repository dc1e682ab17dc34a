namespace Leaderboard.Api.Infrastructure;

/// <summary>
/// The schema, as an ordered list of forward-only migrations. A migration, once shipped, is never
/// edited: append a new one instead.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "boards and their best scores", """
            CREATE TABLE boards (
                board_id    text        PRIMARY KEY,
                sort_order  text        NOT NULL DEFAULT 'descending',
                operator    text        NOT NULL DEFAULT 'best',
                created_at  timestamptz NOT NULL DEFAULT now()
            );

            -- One row per player per board period: the player's current record.
            -- period '' is the board's only period until scheduled resets exist.
            CREATE TABLE scores (
                board_id     text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period       text        NOT NULL DEFAULT '',
                player_id    text        NOT NULL,
                score        bigint      NOT NULL,
                subscore     bigint      NOT NULL DEFAULT 0,
                submitted_at timestamptz NOT NULL,
                PRIMARY KEY (board_id, period, player_id)
            );
            """),
    ];
}
