#!/usr/bin/env bash
# Install the pgvector extension for the running PostgreSQL server.
#
# Debian bookworm ships no pgvector package for PostgreSQL 15, so we build
# Debian trixie's pgvector *source* package against the local server headers
# and install the resulting postgresql-<major>-pgvector .deb. The trixie source
# is fetched with a private apt configuration in a temp dir, so the system's
# apt sources are never changed. Idempotent: exits at once if the extension is
# already available. Must run as root.
#
# Environment (all optional):
#   PGHOST / PGPORT / PGUSER   server to inspect (default 127.0.0.1:5432, postgres)
#   PGVECTOR_SOURCE_SUITE      Debian suite to take the source from (default trixie)
#   PGVECTOR_DEBIAN_MIRROR     Debian mirror URI (default: read from the apt sources)
#   APT_UPDATE_STAMP           file whose existence means `apt-get update` already
#                              ran in this CI run (set by .ci/run); created after we run it
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SUITE="${PGVECTOR_SOURCE_SUITE:-trixie}"

log() { echo "[pgvector] $*"; }
die() { echo "[pgvector] ERROR: $*" >&2; exit 1; }
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "${2:-postgres}" -c "$1"; }

pg_isready -q || die "PostgreSQL is not reachable at $PGHOST:$PGPORT; start it first"

if [ "$(sql "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" != 0 ]; then
  log "already available: $(sql "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (installs packages)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgvector-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Quiet apt-get install; its full output is shown only if it fails.
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$WORK/apt.log" 2>&1 ||
    { tail -n 40 "$WORK/apt.log" >&2; die "apt-get install $* failed"; }
}

# The extension must match the server that is running, not whatever client is on PATH.
PGMAJOR=$(( $(sql "SHOW server_version_num") / 10000 ))
log "PostgreSQL $PGMAJOR detected; pgvector not available, building it from Debian $SUITE source"

# Mirror URI of the machine's own Debian sources (deb822 *.sources first, then
# one-line *.list), for the stanza/line that serves this release's main suite.
mirror_uri() {
  local codename f
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    awk -v cn="$codename" '
      BEGIN { RS = "" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        n = split($0, lines, "\n")
        for (i = 1; i <= n; i++) {
          if (lines[i] ~ /^[ \t]*#/) continue
          key = tolower(lines[i]); sub(/:.*/, "", key)
          val = lines[i]; sub(/^[^:]*:[ \t]*/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " cn " ")) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    awk -v cn="$codename" '
      $1 == "deb" { sub(/\[[^]]*\]/, ""); if ($3 == cn) { print $2; exit } }' "$f"
  done
}

MIRROR="${PGVECTOR_DEBIAN_MIRROR:-$(mirror_uri | grep -E '^https?://' | head -n 1 || true)}"
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt sources; set PGVECTOR_DEBIAN_MIRROR"
log "Debian mirror: $MIRROR"

# Build tools. postgresql-server-dev-all carries the `dh --with pgxs_loop`
# debhelper sequence and pg_buildext that the trixie packaging uses.
BUILD_DEPS=(postgresql-server-dev-"$PGMAJOR" postgresql-server-dev-all debhelper dpkg-dev fakeroot)
missing=()
for p in "${BUILD_DEPS[@]}"; do
  dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ -z "${APT_UPDATE_STAMP:-}" ] || [ ! -e "$APT_UPDATE_STAMP" ]; then
    log "apt-get update"
    apt-get update -qq
    if [ -n "${APT_UPDATE_STAMP:-}" ]; then touch "$APT_UPDATE_STAMP"; fi
  fi
  log "installing build dependencies: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# apt downloads as the unprivileged _apt user: let it reach the download dir.
chmod 755 "$WORK"
mkdir -p "$WORK/apt/sources.list.d" "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/src"
if id _apt >/dev/null 2>&1; then chown _apt "$WORK/src"; fi

# Private apt configuration: only a deb-src line for $SUITE, with its own lists
# and cache, so nothing under /etc/apt or /var/lib/apt/lists is touched.
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opts=""
if [ -e "$keyring" ]; then opts="[signed-by=$keyring] "; fi
echo "deb-src ${opts}$MIRROR $SUITE main" >"$WORK/apt/sources.list"
APT_PRIVATE=(
  -o "Dir::Etc::sourcelist=$WORK/apt/sources.list"
  -o "Dir::Etc::sourceparts=$WORK/apt/sources.list.d"
  -o "Dir::State::Lists=$WORK/apt/lists"
  -o "Dir::Cache=$WORK/apt/cache"
)

log "fetching $SUITE source index"
apt-get "${APT_PRIVATE[@]}" update -qq
log "downloading pgvector source"
(cd "$WORK/src" && apt-get "${APT_PRIVATE[@]}" source -qq pgvector >"$WORK/source.log" 2>&1) ||
  { cat "$WORK/source.log" >&2; die "apt-get source pgvector failed"; }
srcdir=$(find "$WORK/src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
[ -n "$srcdir" ] || die "pgvector source tree not found after apt-get source"
log "source: $(basename "$srcdir")"

# The trixie packaging targets trixie's PG versions; restrict it to ours, then
# regenerate debian/control so it declares postgresql-$PGMAJOR-pgvector.
export PG_SUPPORTED_VERSIONS="$PGMAJOR"
echo "$PGMAJOR" >"$srcdir/debian/pgversions"
(cd "$srcdir" && pg_buildext updatecontrol)
grep -qx "Package: postgresql-$PGMAJOR-pgvector" "$srcdir/debian/control" ||
  die "debian/control does not declare postgresql-$PGMAJOR-pgvector after updatecontrol"

# -d: trixie's Build-Depends name packages bookworm lacks (architecture-is-64-bit,
# postgresql-all for the tests); the tools actually needed are installed above.
# nocheck: the package's regression tests would spin up extra clusters; the
# smoke test below is enough here.
log "building postgresql-$PGMAJOR-pgvector (output shown only on failure)"
start=$SECONDS
(cd "$srcdir" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
  dpkg-buildpackage -b -uc -us -Pnocheck -d >"$WORK/build.log" 2>&1) ||
  { tail -n 60 "$WORK/build.log" >&2; die "dpkg-buildpackage failed"; }
log "built in $((SECONDS - start)) s"

deb=$(find "$WORK/src" -maxdepth 1 -name "postgresql-$PGMAJOR-pgvector_*.deb" | head -n 1)
[ -n "$deb" ] || die "built package postgresql-$PGMAJOR-pgvector_*.deb not found"
log "installing $(basename "$deb")"
apt_install "$deb"

# Smoke test in a scratch database, dropped afterwards.
scratch="pgvector_check_$$"
trap 'sql "DROP DATABASE IF EXISTS $scratch" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
sql "CREATE DATABASE $scratch"
sql "CREATE EXTENSION IF NOT EXISTS vector" "$scratch"
dist=$(sql "SELECT '[1,2,3]'::vector <=> '[1,2,4]'::vector" "$scratch")
version=$(sql "SELECT extversion FROM pg_extension WHERE extname = 'vector'" "$scratch")
sql "DROP DATABASE $scratch"
log "verified: CREATE EXTENSION vector ok (version $version), cosine distance [1,2,3]<=>[1,2,4] = $dist"
