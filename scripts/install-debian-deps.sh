#!/usr/bin/env bash
# Debian/Ubuntu packages the app's tests need: Chromium for the E2E run, CJK fonts so screenshots and
# PDFs show Chinese, poppler/openssl for document checks, a toolchain for native modules, and
# PostgreSQL (15 on Debian 12, with pg_trgm) for the second engine's tests: its server is started per run by
# scripts/with-postgres.sh, never as a system service. LibreOffice Writer (headless) reads our DOCX in the
# layout tests (test/integration/documents/grid.test.ts) and is the documents bench's baseline.
set -euo pipefail
PKGS=(chromium fonts-noto-cjk poppler-utils openssl python3 make g++ libsecret-1-dev gnome-keyring dbus dbus-x11 xvfb postgresql libreoffice-writer-nogui)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Debian packages already installed."
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
