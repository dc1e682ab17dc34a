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
        (3, "score change and submission logs, per-period stats and recaps (written by Leaderboard.Stats)", """
            -- Every committed change of a record, in the transaction that made it (triggers, so every
            -- write path logs, whatever statement shape it uses). The stats worker follows it by
            -- transaction id, not by position: sequence values are taken before commit, so a reader
            -- that jumps to the highest position it saw could skip a transaction that commits later
            -- with a lower one; a transaction id below the snapshot's xmin belongs to a transaction
            -- that has finished, so "every row with txid < xmin" is final (Leaderboard.Stats, ChangeFeed).
            CREATE TABLE score_changes_log (
                position       bigserial   PRIMARY KEY,
                txid           xid8        NOT NULL DEFAULT pg_current_xact_id(),
                logged_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
                board_id       text        NOT NULL,
                period         text        NOT NULL,
                player_id      text        NOT NULL,
                old_score      bigint,
                old_subscore   bigint,
                new_score      bigint,
                new_subscore   bigint,
                new_change_seq bigint,
                changed_at     timestamptz NOT NULL
            );
            CREATE INDEX score_changes_log_board_txid ON score_changes_log (board_id, txid);

            -- Submissions accepted per write transaction, changing a record or not (ScoreStore writes one
            -- row per board period of a batch): the submission rate. Followed like the change log.
            CREATE TABLE score_submissions_log (
                position    bigserial   PRIMARY KEY,
                txid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
                logged_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
                board_id    text        NOT NULL,
                period      text        NOT NULL,
                minute      timestamptz NOT NULL,
                submissions integer     NOT NULL
            );
            CREATE INDEX score_submissions_log_board_txid ON score_submissions_log (board_id, txid);

            CREATE FUNCTION log_score_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO score_changes_log (board_id, period, player_id, new_score, new_subscore, new_change_seq, changed_at)
                SELECT n.board_id, n.period, n.player_id, n.score, n.subscore, n.change_seq, n.submitted_at
                FROM inserted n ORDER BY n.change_seq;
                RETURN NULL;
            END $$;
            CREATE FUNCTION log_score_updates() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Metadata alone changes no statistic.
                INSERT INTO score_changes_log (board_id, period, player_id, old_score, old_subscore, new_score, new_subscore, new_change_seq, changed_at)
                SELECT n.board_id, n.period, n.player_id, o.score, o.subscore, n.score, n.subscore, n.change_seq, n.submitted_at
                FROM updated_old o JOIN updated_new n USING (board_id, period, player_id)
                WHERE (o.score, o.subscore) IS DISTINCT FROM (n.score, n.subscore)
                ORDER BY n.change_seq;
                RETURN NULL;
            END $$;
            CREATE FUNCTION log_score_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- A board's own deletion logs nothing: its statistics go with it (ON DELETE CASCADE).
                INSERT INTO score_changes_log (board_id, period, player_id, old_score, old_subscore, changed_at)
                SELECT o.board_id, o.period, o.player_id, o.score, o.subscore, now()
                FROM deleted o WHERE EXISTS (SELECT 1 FROM boards b WHERE b.board_id = o.board_id)
                ORDER BY o.change_seq;
                RETURN NULL;
            END $$;
            CREATE TRIGGER scores_log_inserts AFTER INSERT ON scores REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION log_score_inserts();
            CREATE TRIGGER scores_log_updates AFTER UPDATE ON scores REFERENCING OLD TABLE AS updated_old NEW TABLE AS updated_new
                FOR EACH STATEMENT EXECUTE FUNCTION log_score_updates();
            CREATE TRIGGER scores_log_deletes AFTER DELETE ON scores REFERENCING OLD TABLE AS deleted
                FOR EACH STATEMENT EXECUTE FUNCTION log_score_deletes();

            -- A deleted board leaves no pending changes behind for a new board of the same id.
            CREATE FUNCTION forget_board_changes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM score_changes_log WHERE board_id = OLD.board_id;
                DELETE FROM score_submissions_log WHERE board_id = OLD.board_id;
                RETURN NULL;
            END $$;
            CREATE TRIGGER boards_forget_changes AFTER DELETE ON boards
                FOR EACH ROW EXECUTE FUNCTION forget_board_changes();

            -- The records that exist already are the log's first changes.
            INSERT INTO score_changes_log (board_id, period, player_id, new_score, new_subscore, new_change_seq, changed_at)
                SELECT board_id, period, player_id, score, subscore, change_seq, submitted_at FROM scores ORDER BY change_seq;

            -- Per board: every change of a transaction below the watermark is applied to the
            -- aggregates. Advanced in the transaction that applies them; the row lock is the lease.
            CREATE TABLE stats_checkpoints (
                board_id   text        PRIMARY KEY REFERENCES boards (board_id) ON DELETE CASCADE,
                watermark  xid8        NOT NULL,
                applied    bigint      NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            -- One row per board period, read in O(1): the aggregates and the sketch they come from.
            CREATE TABLE stats_periods (
                board_id        text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period          text        NOT NULL,
                entries         bigint      NOT NULL DEFAULT 0,
                changes         bigint      NOT NULL DEFAULT 0,
                score_sum       numeric     NOT NULL DEFAULT 0,
                min_score       bigint,
                max_score       bigint,
                p50             double precision,
                p90             double precision,
                p99             double precision,
                sketch          jsonb,
                histogram       jsonb,
                submissions     bigint      NOT NULL DEFAULT 0,
                minutes         jsonb,
                leader_player   text,
                leader_score    bigint,
                leader_subscore bigint,
                new_leaders     jsonb,
                climbers        jsonb,
                last_change_at  timestamptz,
                updated_at      timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (board_id, period)
            );

            -- Submissions per minute over the hour before `at`: the per-minute counts whose minute began
            -- after at - 1 hour, over 60. The API asks as of its clock, the recap stage as of now().
            CREATE FUNCTION stats_submission_rate(minutes jsonb, at timestamptz) RETURNS numeric
            LANGUAGE sql STABLE AS $$
                SELECT coalesce(sum(m.value::bigint), 0) / 60.0
                FROM jsonb_each_text(minutes) m
                WHERE m.key::timestamptz > at - interval '1 hour'
            $$;

            -- Rank positions gained per change, kept for the climbers' window (an hour).
            CREATE TABLE stats_climbs (
                board_id   text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period     text        NOT NULL,
                player_id  text        NOT NULL,
                positions  bigint      NOT NULL,
                climbed_at timestamptz NOT NULL
            );
            CREATE INDEX stats_climbs_period_time ON stats_climbs (board_id, period, climbed_at);

            -- The latest published recap of a period: only one that passed the faithfulness metric.
            CREATE TABLE stats_recaps (
                board_id   text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period     text        NOT NULL,
                headline   text        NOT NULL,
                highlights jsonb       NOT NULL,
                written_at timestamptz NOT NULL,
                PRIMARY KEY (board_id, period)
            );

            -- When a recap of a period was last asked for, published or not: a period whose recap
            -- failed the metric waits for new stats and the interval like any other.
            CREATE TABLE stats_recap_attempts (
                board_id     text        NOT NULL REFERENCES boards (board_id) ON DELETE CASCADE,
                period       text        NOT NULL,
                attempted_at timestamptz NOT NULL,
                PRIMARY KEY (board_id, period)
            );
            """),
    ];
}
