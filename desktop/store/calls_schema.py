"""The ``call_*`` tables of the history database, as numbered migrations (never edit a shipped one).

1: placed calls, status events, bills, refused callbacks.
2: each event and bill's signature mark (``unknown`` for rows stored before marks), and the raw
   pushes record mode keeps when they are not readable JSON events.
"""

from __future__ import annotations

MIGRATIONS = [
    """
    CREATE TABLE call_sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT UNIQUE,
        placed_at REAL NOT NULL,
        profile TEXT NOT NULL DEFAULT '',
        callee TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        language_type INTEGER,
        pre_tone TEXT NOT NULL DEFAULT '',
        times INTEGER,
        code_length INTEGER,
        resultcode TEXT NOT NULL,
        resultdesc TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE call_status_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_key TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL DEFAULT '',
        event_type TEXT NOT NULL,
        timestamp TEXT NOT NULL DEFAULT '',
        state_code TEXT,
        state_desc TEXT,
        payload TEXT NOT NULL,
        received_at REAL NOT NULL,
        push_count INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX call_status_events_session ON call_status_events(session_id, id);
    CREATE TABLE call_bills (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bill_key TEXT NOT NULL UNIQUE,
        icid TEXT NOT NULL DEFAULT '',
        session_id TEXT NOT NULL DEFAULT '',
        caller_num TEXT NOT NULL DEFAULT '',
        callee_num TEXT NOT NULL DEFAULT '',
        call_end_time TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        received_at REAL NOT NULL,
        push_count INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX call_bills_session ON call_bills(session_id, id);
    CREATE TABLE call_rejected_callbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at REAL NOT NULL,
        remote TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        username TEXT NOT NULL DEFAULT '',
        nonce TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL DEFAULT '',
        body_len INTEGER NOT NULL DEFAULT 0,
        body_sha256 TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    ALTER TABLE call_status_events ADD COLUMN signature TEXT NOT NULL DEFAULT 'unknown';
    ALTER TABLE call_status_events ADD COLUMN signature_detail TEXT NOT NULL DEFAULT '';
    ALTER TABLE call_bills ADD COLUMN signature TEXT NOT NULL DEFAULT 'unknown';
    ALTER TABLE call_bills ADD COLUMN signature_detail TEXT NOT NULL DEFAULT '';
    CREATE TABLE call_unparsed_pushes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        body_sha256 TEXT NOT NULL UNIQUE,
        received_at REAL NOT NULL,
        remote TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL DEFAULT '',
        content_type TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        signature TEXT NOT NULL,
        signature_detail TEXT NOT NULL DEFAULT '',
        body_len INTEGER NOT NULL,
        body_b64 TEXT NOT NULL,
        preview TEXT NOT NULL DEFAULT '',
        push_count INTEGER NOT NULL DEFAULT 1
    )
    """,
    # v3 (operator): what the person read back to the operator, and the verification the call
    # was placed for (attempts.id in the history tables of the same file).
    """
    ALTER TABLE call_sessions ADD COLUMN read_back TEXT;
    ALTER TABLE call_sessions ADD COLUMN attempt_id INTEGER
    """,
]
