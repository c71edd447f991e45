#!/usr/bin/env bash
# Installs everything the product and its tests need into git-ignored folders, once; later runs
# only check. Registries only: npm, the Go module proxy (Temporal CLI), Maven Central (test server).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin"

# 1. Node packages, reinstalled when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json "$TOOLS/package-lock.installed"; then
  # `npm install` with the committed lockfile, not `npm ci`: this npm leaves other platforms'
  # optional binaries (@swc/core-darwin-*, ...) out of the lockfile, and `npm ci` refuses that.
  echo "setup: installing node packages"
  npm install --no-audit --no-fund
  cp package-lock.json "$TOOLS/package-lock.installed"
fi

# 2. The Temporal CLI (dev server), pinned, built from the Go module proxy: the SDK's own download
#    of a release binary cannot work where only package registries are reachable.
TEMPORAL_CLI_VERSION=v1.5.1
if [ -z "${TEMPORAL_ADDRESS:-}" ] && ! command -v temporal >/dev/null 2>&1; then
  if [ ! -x "$TOOLS/bin/temporal" ] || [ "$(cat "$TOOLS/temporal.version" 2>/dev/null)" != "$TEMPORAL_CLI_VERSION" ]; then
    echo "setup: building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (a few minutes, once)"
    GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    echo "$TEMPORAL_CLI_VERSION" > "$TOOLS/temporal.version"
  fi
fi

# 3. Temporal's Java test server (time skipping for tests that wait weeks), from Maven Central.
if [ ! -f "$TOOLS/test-server/ready" ] || ! cmp -s tools/test-server/pom.xml "$TOOLS/test-server/ready"; then
  echo "setup: fetching Temporal's Java test server with Maven"
  rm -rf "$TOOLS/test-server/lib"
  mvn -q -B -f tools/test-server/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$TOOLS/test-server/lib" -DincludeScope=runtime
  cp tools/test-server/pom.xml "$TOOLS/test-server/ready"
fi

# 4. Debian's Chromium for the browser tests (playwright-core drives it; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium for the end-to-end tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# 5. A colour emoji font, so the node icons in the editor and the e2e screenshots are not empty
#    boxes. Only looks are at stake, so a failure here does not stop the setup.
if command -v fc-list >/dev/null && ! fc-list | grep -qi emoji; then
  echo "setup: installing an emoji font for the browser"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-color-emoji >/dev/null; } \
    || echo "setup: no emoji font (apt failed); icons will show as boxes"
fi
