#!/usr/bin/env bash
# The Dockerfile's steps without a container engine: copies what the build stage copies into a
# temporary folder, runs the same npm commands, assembles what the run stage keeps, and checks the
# result starts: `migrate`, then `serve` answering /healthz, on a SQLite file in a fresh data folder.
# For machines where `docker build` cannot run (no engine), so that the image's recipe is tested.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/build" "$WORK/app" "$WORK/data"
cp -r package.json package-lock.json .npmrc scripts tsconfig.json tsconfig.build.json src bin "$WORK/build/"
(cd "$WORK/build" && npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund)
cp -r "$WORK/build/package.json" "$WORK/build/node_modules" "$WORK/build/dist" "$WORK/build/bin" "$WORK/app/"
[ -d "$WORK/build/build" ] && cp -r "$WORK/build/build" "$WORK/app/"
mkdir -p "$WORK/app/src/web/ui" && cp -r "$WORK/build/src/web/ui/static" "$WORK/app/src/web/ui/"
cd "$WORK/app"
export DATA_DIR="$WORK/data" HOST=127.0.0.1 PORT=${PORT:-3917} ARXIV_SCHEDULE=off DIGEST_SCHEDULE=off NODE_ENV=production
node bin/dailypapers migrate
node bin/dailypapers serve & PID=$!
for _ in $(seq 100); do
  if node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "image steps: the assembled app serves /healthz (no devDependencies in node_modules: $(ls node_modules | grep -c -E '^(vitest|typescript)$') of vitest/typescript)"
    exit 0
  fi
  sleep 0.3
done
echo "image steps: serve did not answer /healthz" >&2
exit 1
