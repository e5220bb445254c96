#!/usr/bin/env bash
# Runs a command against a private, throw-away PostgreSQL server, e.g. for integration tests:
#   bash scripts/with-postgres.sh npx vitest run test/integration/db
#   bash scripts/with-postgres.sh bash -c 'psql "$LRW_PG_URL" -c "select version()"'
# A fresh cluster is created in a temporary directory (initdb, trust auth, superuser lrw_owner, UTF8),
# started on a free port on 127.0.0.1 only, given the database lrw (extension pg_trgm) and the LOGIN
# roles lrw_app and lrw_reader (no privileges yet: the app's migrations grant them), and exported to the
# command as
#   LRW_PG_URL=postgres://lrw_owner@127.0.0.1:PORT/lrw
#   LRW_PG_ADMIN_URL=postgres://lrw_owner@127.0.0.1:PORT/postgres
#   LRW_PG_PORT=PORT  PGHOST=127.0.0.1  PGPORT=PORT  PGUSER=lrw_owner  PGDATABASE=lrw
# The server is always stopped and the directory removed when the command ends, fails or the script is
# interrupted (Ctrl-C, SIGTERM); the script exits with the command's exit code (130/143 when interrupted).
# If LRW_PG_URL is already set, nothing is started: the command is exec'd as is (your own server).
# PostgreSQL refuses to run as root; as root the server runs as the user 'postgres' (else 'nobody'),
# the command itself still runs as root.
# Needs: Debian postgresql (server binaries in /usr/lib/postgresql/<version>/bin; pg_trgm ships in
# postgresql-<version> itself), runuser (util-linux) when run as root, node or python3 (free port).
# LRW_PG_BINDIR=/path/to/bin overrides where the server binaries are looked for.
set -uo pipefail

me="with-postgres.sh"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# A developer's own server: just run the command against it.
if [ -n "${LRW_PG_URL:-}" ]; then
  exec "$@"
fi

# --- 1. server binaries -------------------------------------------------------------------------------
has_server_bins() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ] && [ -x "$1/psql" ]; }
bindir=""
if [ -n "${LRW_PG_BINDIR:-}" ]; then
  has_server_bins "$LRW_PG_BINDIR" && bindir="$LRW_PG_BINDIR"
else
  while IFS= read -r candidate; do
    if has_server_bins "$candidate"; then bindir="$candidate"; break; fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV)
  if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir 2>/dev/null || true)"
    [ -n "$candidate" ] && has_server_bins "$candidate" && bindir="$candidate"
  fi
fi
if [ -z "$bindir" ]; then
  echo "$me: PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) not found in" \
    "${LRW_PG_BINDIR:-/usr/lib/postgresql/*/bin or pg_config --bindir};" \
    "install them (Debian: apt-get install postgresql postgresql-contrib) or set LRW_PG_URL" >&2
  exit 3
fi
pg_major="$("$bindir/postgres" --version 2>/dev/null | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"

# --- 2. unprivileged user and temporary directory ------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
  if ! command -v runuser >/dev/null 2>&1; then
    echo "$me: running as root needs runuser (util-linux) to start PostgreSQL as an unprivileged user" >&2
    exit 3
  fi
  if id -u postgres >/dev/null 2>&1; then pg_user=postgres; else pg_user=nobody; fi
  as_pg() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user="$(id -un)"
  as_pg() { "$@"; }
fi

dir=""
datadir=""
server_started=0
child_pid=""

any_alive() { # zombies (e.g. our not yet reaped child) count as gone
  local p stat
  for p in "$@"; do
    kill -0 "$p" 2>/dev/null || continue
    stat="$(cat "/proc/$p/stat" 2>/dev/null)" || return 0
    [[ "${stat##*) }" == Z* ]] || return 0
  done
  return 1
}
stop_server() {
  [ -n "$datadir" ] || return 0
  if [ -f "$datadir/postmaster.pid" ]; then
    (cd "$dir" && as_pg "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 30 stop) >/dev/null 2>&1 || true
  fi
  # Fallback: the pid file is still there, so pg_ctl did not manage; kill the postmaster itself.
  if [ -f "$datadir/postmaster.pid" ]; then
    local pid
    pid="$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true # immediate shutdown
      for _ in $(seq 1 50); do any_alive "$pid" || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}

cleanup() {
  trap '' INT TERM HUP
  stop_server
  [ -n "$dir" ] && rm -rf -- "$dir"
}

descendants() {
  local p
  for p in $(pgrep -P "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done
}
# Interrupted: stop the command and its descendants first (they may be using the database; a SIGTERM to
# this script alone does not reach grandchildren such as test workers), then exit; the EXIT trap cleans up.
on_signal() {
  local signum="$1" pids
  trap '' INT TERM HUP
  if [ -n "$child_pid" ] && kill -0 "$child_pid" 2>/dev/null; then
    pids="$child_pid $(descendants "$child_pid")"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 100); do any_alive $pids || break; sleep 0.1; done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    wait "$child_pid" 2>/dev/null || true
  fi
  exit $((128 + signum))
}

trap cleanup EXIT
trap 'on_signal 2' INT
trap 'on_signal 15' TERM
trap 'on_signal 1' HUP

fail() {
  echo "$me: $*" >&2
  if [ -n "$dir" ] && [ -s "$dir/log" ]; then
    echo "--- $dir/log (tail) ---" >&2
    tail -n 20 "$dir/log" >&2
  fi
  exit 3
}

make_dir() {
  dir="$(mktemp -d "$1/lrw-pg.XXXXXX")" || return 1
  if [ "$(id -u)" -eq 0 ]; then
    chown "$pg_user:" "$dir" || return 1
    # The user must be able to reach the directory (TMPDIR might be e.g. under /root).
    runuser -u "$pg_user" -- test -w "$dir" || { rm -rf -- "$dir"; dir=""; return 1; }
  fi
}
make_dir "${TMPDIR:-/tmp}" || make_dir /tmp || fail "cannot create a temporary directory usable by user '$pg_user'"
datadir="$dir/data"

# All server tools run inside $dir: the caller's cwd (e.g. /work/main, owned by root) may be unreadable
# for $pg_user, and initdb/pg_ctl fail if they cannot resolve the current directory.
initdb_ok=0
for locale in C.UTF-8 C; do
  if (cd "$dir" && as_pg "$bindir/initdb" -D "$datadir" --auth=trust -U lrw_owner --encoding=UTF8 \
    --locale="$locale") >"$dir/initdb.log" 2>&1; then
    initdb_ok=1
    break
  fi
  rm -rf -- "$datadir"
done
if [ "$initdb_ok" -ne 1 ]; then
  cat "$dir/initdb.log" >&2
  fail "initdb failed"
fi

# --- 3./4. free port, start (retried: the port may be taken between probing and binding) ----------------
free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' \
      2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()' \
      2>/dev/null && return 0
  fi
  return 1
}

port=""
for attempt in 1 2 3; do
  port="$(free_port)" || fail "cannot pick a free port (needs node or python3)"
  [[ "$port" =~ ^[0-9]+$ ]] || fail "cannot pick a free port (got '$port')"
  if (cd "$dir" && as_pg "$bindir/pg_ctl" -D "$datadir" -l "$dir/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c fsync=on -c max_connections=200 -c shared_buffers=128MB" \
    start) >/dev/null 2>&1; then
    server_started=1
    break
  fi
  stop_server # in case it came up after pg_ctl gave up waiting
done
[ "$server_started" -eq 1 ] || fail "PostgreSQL did not start (3 attempts)"

# --- 5. database, extension, roles -------------------------------------------------------------------------
psql_admin() {
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U lrw_owner "$@"
}
psql_admin -d postgres >/dev/null <<'SQL' || fail "creating the database lrw and the roles failed"
CREATE DATABASE lrw OWNER lrw_owner;
CREATE ROLE lrw_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE lrw_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
SQL
psql_admin -d lrw >/dev/null <<'SQL' || fail "CREATE EXTENSION pg_trgm failed (Debian: it ships in postgresql-$pg_major)"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL

# --- 6./7. run the command --------------------------------------------------------------------------------
export LRW_PG_URL="postgres://lrw_owner@127.0.0.1:$port/lrw"
export LRW_PG_ADMIN_URL="postgres://lrw_owner@127.0.0.1:$port/postgres"
export LRW_PG_PORT="$port"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=lrw_owner PGDATABASE=lrw

echo "PostgreSQL ${pg_major:-?} 临时实例: 127.0.0.1:$port" >&2

# Run in the background and wait, so INT/TERM reach our trap at once (a foreground child would delay the
# trap until it exits). The subshell restores default INT/QUIT (bash ignores them for background jobs)
# and keeps the real stdin (bash would give /dev/null), so interactive commands and Ctrl-C still work.
( trap - INT QUIT TERM HUP; exec "$@" ) <&0 &
child_pid=$!
rc=0
wait "$child_pid" || rc=$?
child_pid=""
exit "$rc"
