#!/usr/bin/env bash
# What the packaged crates hold, checked after `cargo package`: the library ships its build's
# inputs and no test fixtures, and stays small; tcbill ships its licences and README.
set -euo pipefail
cd "$(dirname "$0")/.."
version() { cargo metadata --no-deps --format-version 1 | python3 -c "import json,sys; print(next(p['version'] for p in json.load(sys.stdin)['packages'] if p['name']==sys.argv[1]))" "$1"; }
lib="${CARGO_TARGET_DIR:-target}/package/tencentcloud-billing-$(version tencentcloud-billing).crate"
cli="${CARGO_TARGET_DIR:-target}/package/tcbill-$(version tcbill).crate"
fail() { echo "check-package: $*" >&2; exit 1; }
list_lib="$(tar tzf "$lib")"
list_cli="$(tar tzf "$cli")"
for f in src/lib.rs spec/focus/service-categories.csv README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "[^/]*/$f" <<<"$list_lib" || fail "$lib lacks $f"
done
for f in src/main.rs README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "[^/]*/$f" <<<"$list_cli" || fail "$cli lacks $f"
done
if grep -qE '^[^/]*/(tests|benches|fuzz|codegen|\.ci)/' <<<"$list_lib"; then
  fail "$lib ships tests, benchmarks or tooling: $(grep -E '^[^/]*/(tests|benches|fuzz|codegen|\.ci)/' <<<"$list_lib" | head -3)"
fi
size=$(stat -c %s "$lib")
(( size < 1024 * 1024 )) || fail "$lib is $size bytes compressed; the limit is 1 MiB"
echo "check-package: $(wc -l <<<"$list_lib") files in $(basename "$lib") ($((size / 1024)) KiB), $(wc -l <<<"$list_cli") in $(basename "$cli")"
