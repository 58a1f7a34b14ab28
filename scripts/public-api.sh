#!/usr/bin/env bash
# The public API of the library, as cargo-public-api lists it (one item per line, without blanket
# and auto-trait impls), compared with the committed snapshot api/public-api.txt. Every change to
# the public surface is then a deliberate edit of that file:
#
#   scripts/public-api.sh          # check: fails with a diff when the surface changed
#   scripts/public-api.sh --bless  # write the new snapshot
#
# It needs the nightly toolchain (rustdoc's JSON output) and cargo-public-api, which it installs
# when missing. The features are every user-facing one; `internals` is hidden and left out.
set -euo pipefail
cd "$(dirname "$0")/.."
FEATURES="sandbox,redis,metrics,monitor,files,focus"
VERSION="0.52.0"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "public-api: no nightly toolchain on this machine; the snapshot check is skipped" >&2
  exit 0
fi
if ! command -v cargo-public-api >/dev/null 2>&1 || ! cargo-public-api --version | grep -q "$VERSION"; then
  cargo install cargo-public-api --locked --version "$VERSION"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/public-api"
current="$(mktemp)"
cargo public-api -p tencentcloud-billing --features "$FEATURES" -sss > "$current"
if [[ "${1:-}" == "--bless" ]]; then
  cp "$current" api/public-api.txt
  echo "public-api: wrote api/public-api.txt ($(wc -l < api/public-api.txt) lines)"
elif ! diff -u api/public-api.txt "$current"; then
  echo "public-api: the public API changed; if that is intended, run scripts/public-api.sh --bless and commit api/public-api.txt" >&2
  exit 1
else
  echo "public-api: unchanged ($(wc -l < "$current") lines)"
fi
