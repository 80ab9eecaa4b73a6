CREATE TABLE runs (
    id INTEGER NOT NULL,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
    status VARCHAR(16) NOT NULL,
    inventory_path TEXT NOT NULL,
    inventory_sha256 VARCHAR(64) NOT NULL,
    as_of DATE NOT NULL,
    options JSON NOT NULL,
    tool_version VARCHAR(32) NOT NULL,
    authorization TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE evidence (
    id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    probe_key TEXT NOT NULL,
    system_id VARCHAR(64) NOT NULL,
    asset_id VARCHAR(64),
    target TEXT NOT NULL,
    status VARCHAR(16) NOT NULL,
    error_reason VARCHAR(32),
    detail TEXT,
    started_at DATETIME NOT NULL,
    finished_at DATETIME NOT NULL,
    payload JSON NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX ix_evidence_run_id ON evidence (run_id);
CREATE TABLE run_systems (
    run_id INTEGER NOT NULL,
    system_id VARCHAR(64) NOT NULL,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (run_id, system_id),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE
);
