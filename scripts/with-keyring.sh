#!/usr/bin/env bash
# Runs a command with a private D-Bus session bus and an unlocked GNOME keyring (Secret Service), so
# keytar talks to a real OS keychain in tests and CI:
#   bash scripts/with-keyring.sh npx vitest run test/integration/documents/keychain.test.ts
# The keyring lives in a throw-away directory (XDG_DATA_HOME of the daemon only), unlocked with a dummy
# password; nothing is written to the user's real keyring, and it is removed when the command ends.
# Needs: dbus (dbus-run-session) and gnome-keyring (Debian: apt-get install dbus dbus-x11 gnome-keyring).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: '$tool' not found; install the Debian packages dbus and gnome-keyring" >&2
    exit 127
  fi
done

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/lrw-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT
export LRW_KEYRING_HOME="$keyring_home"

# Not exec'd: the trap above must run after the bus (and the daemon it owns) is gone.
dbus-run-session -- bash -c '
  set -e
  # The daemon prints GNOME_KEYRING_CONTROL=...; it registers org.freedesktop.secrets on this bus.
  echo -n test | XDG_DATA_HOME="$LRW_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  unset LRW_KEYRING_HOME
  exec "$@"
' bash "$@"
