#!/usr/bin/env bash
# `npm run check:pack`: the package as a user gets it. Packs the project (prepack builds dist/ without source
# maps), installs the tarball into an empty prefix, and runs the installed ecs-deployer from an empty folder:
# --version, --help, a sandbox `validate` of the recipe it ships and `target list`. Prints the tarball's and
# the install's size and the install time; fails loudly (naming the step) when anything is off.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$(mktemp -d "${TMPDIR:-/tmp}/ecs-deployer-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
	printf 'check-pack: FAILED: %b\n' "$*" >&2
	exit 1
}

# Modules must come from the package alone, never from this checkout or a global path.
unset NODE_PATH
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

npm pack --silent --json --pack-destination "$work" >"$work/pack.json" || fail "npm pack"
read -r tarball packed unpacked files maps < <(node -e '
	const [p] = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	const maps = p.files.filter(f => f.path.endsWith(".map")).length;
	console.log(p.filename, p.size, p.unpackedSize, p.entryCount, maps);
' "$work/pack.json")
[ "$maps" = 0 ] || fail "the tarball has $maps source maps (build without --sourcemap)"

prefix="$work/prefix"
start=$(date +%s%N)
npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "$work/$tarball" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; fail "npm install -g of $tarball"; }
install_ms=$(( ($(date +%s%N) - start) / 1000000 ))
installed="$prefix/lib/node_modules/ecs-deployer"
[ ! -e "$installed/node_modules" ] || fail "the package brought dependencies: $(ls "$installed/node_modules" | head -5 | tr '\n' ' ')"

bin="$prefix/bin/ecs-deployer"
run="$work/run"
mkdir -p "$run"
cd "$run"
export ECS_DEPLOYER_HOME="$work/home"

version="$("$bin" --version)" || fail "ecs-deployer --version exited $?"
expected="$(node -p 'require(process.argv[1]).version' "$root/package.json")"
[ "$version" = "$expected" ] || fail "ecs-deployer --version printed '$version', package.json says $expected"

help="$("$bin" --help)" || fail "ecs-deployer --help exited $?"
grep -q '^Usage: ecs-deployer' <<<"$help" || fail "ecs-deployer --help printed no usage line:\n$help"
grep -q 'validate' <<<"$help" || fail "ecs-deployer --help does not list validate"

recipe="$installed/recipes/hello-color.yaml"
validated="$("$bin" --sandbox validate -r "$recipe" -e dev -i web=1.4.0 --release-version 1.4.0 2>&1)" ||
	fail "ecs-deployer --sandbox validate exited $?:\n$validated"
grep -q 'is valid for dev' <<<"$validated" || fail "ecs-deployer --sandbox validate printed:\n$validated"

# The workspace store (conf, bundled without ajv) loads and answers.
targets="$("$bin" target list 2>&1)" || fail "ecs-deployer target list exited $?:\n$targets"
grep -q '^sandbox ' <<<"$targets" || fail "ecs-deployer target list printed:\n$targets"

echo "check-pack: ok: $tarball — packed $(( packed / 1024 )) KiB, unpacked $(( unpacked / 1024 )) KiB, $files files;" \
	"npm install -g: ${install_ms} ms, $(du -sk "$prefix" | cut -f1) KiB installed; --version, --help, a sandbox validate and target list ran from the installed copy"
