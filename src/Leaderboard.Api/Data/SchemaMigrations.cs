namespace Leaderboard.Api.Data;

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
        (2, "board rules, periods, tie order, metadata and idempotency keys", """
            -- Boards are now created explicitly, with their rules.
            ALTER TABLE boards
                ADD COLUMN reset_schedule text,
                ADD COLUMN min_score      bigint,
                ADD COLUMN max_score      bigint,
                ADD COLUMN metadata       jsonb NOT NULL DEFAULT '{}';

            -- Periods that have received scores; the current one is computed from the schedule.
            CREATE TABLE periods (
                board_id  text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period_id text        NOT NULL,
                starts_at timestamptz NOT NULL,
                ends_at   timestamptz,
                PRIMARY KEY (board_id, period_id)
            );

            -- Every change of a record takes the next number: among equal (score, subscore)
            -- pairs the earlier submission ranks first, and the index never applies an older change.
            CREATE SEQUENCE score_changes;
            ALTER TABLE scores
                ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('score_changes'),
                ADD COLUMN metadata   jsonb;
            UPDATE scores SET period = 'all-time' WHERE period = '';
            INSERT INTO periods (board_id, period_id, starts_at)
                SELECT DISTINCT s.board_id, 'all-time', b.created_at FROM scores s JOIN boards b USING (board_id);

            CREATE TABLE idempotency_keys (
                idempotency_key text        PRIMARY KEY,
                request_hash    bytea       NOT NULL,
                response        jsonb,
                created_at      timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
            """),
    ];
}
