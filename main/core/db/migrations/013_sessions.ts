// The agency server (issue 14): state a second server process needs lives in the store.
// - sessions: one row per signed-in browser or desktop. Only the SHA-256 of the token is kept, so a
//   copy of the database signs nobody in. Operational (domain/records.ts): signing in and out are
//   events in the chain; the row itself is the server's working state, deleted when the session ends.
// - On PostgreSQL every appended event is announced on the channel lrw_events (LISTEN/NOTIFY), so a
//   change made through one server process (or `lrw`) reaches the clients of every other at once.
//   SQLite has no such channel: its single server polls the chain's head (main/server/push.ts).
export const version = 13;
export const name = 'sessions';

const table = (msType: string) => `
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  username TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf TEXT,
  created_at TEXT NOT NULL,
  last_activity_ms ${msType} NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
`;

export const sqlite = table('INTEGER');

export const postgres = `
${table('BIGINT')}
CREATE FUNCTION lrw_announce_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lrw_events', NEW.seq::text);
  RETURN NULL;
END $$;
CREATE TRIGGER events_announce AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION lrw_announce_event();
`;
