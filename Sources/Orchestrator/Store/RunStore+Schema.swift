import GRDB

extension RunStore {
    /// The schema, as migrations applied in order and recorded in `grdb_migrations`. Add new
    /// migrations at the end; never edit one that has shipped.
    ///
    /// Dates are Unix seconds (`REAL`, UTC): they compare and sort as numbers, and
    /// `datetime(queued_at, 'unixepoch')` shows them in the `sqlite3` shell.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, attempts, output, node results, ticks, cursors") { db in
            // AUTOINCREMENT so that a run id is never reused after a purge: ids appear in URLs,
            // alerts and `retry` triggers.
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job TEXT NOT NULL,
                    status TEXT NOT NULL,
                    trigger_kind TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    vars TEXT NOT NULL,
                    attempt INTEGER NOT NULL,
                    queued_at REAL NOT NULL,
                    started_at REAL,
                    ended_at REAL,
                    error TEXT
                );
                CREATE INDEX run_by_queued_at ON run (queued_at);
                CREATE INDEX run_by_job ON run (job, queued_at);
                CREATE INDEX run_by_status ON run (status, queued_at);

                CREATE TABLE step_attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                    step TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    attempt INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    ended_at REAL,
                    error TEXT,
                    output_bytes INTEGER NOT NULL DEFAULT 0,
                    output_dropped_bytes INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX step_attempt_by_run ON step_attempt (run_id, id);

                CREATE TABLE step_output (
                    id INTEGER PRIMARY KEY,
                    attempt_id INTEGER NOT NULL REFERENCES step_attempt (id) ON DELETE CASCADE,
                    bytes INTEGER NOT NULL,
                    text TEXT NOT NULL
                );
                CREATE INDEX step_output_by_attempt ON step_output (attempt_id, id);

                CREATE TABLE node_result (
                    attempt_id INTEGER NOT NULL REFERENCES step_attempt (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    unique_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    seconds REAL NOT NULL,
                    rows INTEGER,
                    message TEXT,
                    PRIMARY KEY (attempt_id, position)
                ) WITHOUT ROWID;
                CREATE INDEX node_result_by_node ON node_result (unique_id);

                CREATE TABLE schedule_state (
                    schedule TEXT PRIMARY KEY,
                    evaluated_through REAL NOT NULL,
                    skipped_total INTEGER NOT NULL DEFAULT 0
                );

                CREATE TABLE schedule_tick (
                    id INTEGER PRIMARY KEY,
                    schedule TEXT NOT NULL,
                    tick REAL NOT NULL,
                    recorded_at REAL NOT NULL,
                    run_id INTEGER REFERENCES run (id) ON DELETE SET NULL,
                    UNIQUE (schedule, tick)
                );
                CREATE INDEX schedule_tick_by_run ON schedule_tick (run_id);

                CREATE TABLE sensor_cursor (
                    sensor TEXT PRIMARY KEY,
                    cursor TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: a test's failing rows and a sample of them per node result") { db in
            try db.execute(sql: """
                ALTER TABLE node_result ADD COLUMN failures INTEGER;
                ALTER TABLE node_result ADD COLUMN failing_rows TEXT;
                """)
        }
        return migrator
    }
}
