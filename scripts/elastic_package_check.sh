#!/usr/bin/env bash
# elastic-package as a judge (issue 13, part 1): install the pinned elastic-package (version and
# every module checksum in scripts/elastic-package/go.mod and go.sum) into .cache/bin, reused
# when that binary is of the pinned version, then run it on a `--with-dev` build of the package
# (the source form elastic-package expects) in a scratch git repository:
#   lint                  package-spec validation of the source form, docs/README.md ==
#                         what elastic-package renders from _dev/build/docs/README.md
#   format --fail-fast    no file would be reformatted
#   test static           sample events against the field definitions
#   build                 its package (tree and zip) == fleetpkg's build of the same source
# Without Go it prints one "skipped:" line and exits 0. elastic-package runs with HOME and
# ELASTIC_PACKAGE_DATA_HOME under .cache/, its update check off, and (where `unshare -n` works)
# without network. Reference: docs/fleetpkg/elastic-package.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if ! command -v go >/dev/null 2>&1; then
  echo "skipped: elastic-package (no Go toolchain)"
  exit 0
fi

PY=${PY:-$ROOT/.venv/bin/python}
TOOL_MOD=$ROOT/scripts/elastic-package
PIN=$(awk '$1 == "github.com/elastic/elastic-package" { print $2 }' "$TOOL_MOD/go.mod")
CACHE=$ROOT/.cache
BIN=$CACHE/bin/elastic-package

installed_version() {
  # The version recorded in the binary's build info (the binary is not run for this).
  go version -m "$1" 2>/dev/null | awk '$1 == "dep" && $2 == "github.com/elastic/elastic-package" { print $3 } $1 == "mod" && $2 == "github.com/elastic/elastic-package" { print $3 }' | head -n 1
}

if [ -x "$BIN" ] && [ "$(installed_version "$BIN")" = "$PIN" ]; then
  echo "== elastic-package $PIN (reused $BIN)"
else
  echo "== elastic-package $PIN: go install (module cache .cache/gomod)"
  start=$(date +%s)
  mkdir -p "$CACHE"
  # -trimpath: the build cache (outside .cache/) is then shared by every clone of the project,
  # so a fresh clone only downloads and links (about 20 s) instead of compiling (minutes).
  if ! (cd "$TOOL_MOD" && env GOBIN="$CACHE/bin" GOMODCACHE="$CACHE/gomod" GOTOOLCHAIN=local \
    GOFLAGS="-modcacherw -mod=readonly -buildvcs=false -trimpath" go install tool) \
    >"$CACHE/go-install.log" 2>&1; then
    tail -n 20 "$CACHE/go-install.log" >&2
    echo "elastic-package: go install failed (whole log: .cache/go-install.log)" >&2
    exit 1
  fi
  echo "   installed in $(($(date +%s) - start)) s"
  got=$(installed_version "$BIN")
  if [ "$got" != "$PIN" ]; then
    echo "elastic-package: installed binary reports version '$got', pinned $PIN" >&2
    exit 1
  fi
fi

export HOME=$CACHE/elastic-package-home
export ELASTIC_PACKAGE_DATA_HOME=$HOME/.elastic-package
export ELASTIC_PACKAGE_CHECK_UPDATE_DISABLED=true
mkdir -p "$HOME"

OFFLINE=()
if unshare -n true 2>/dev/null; then
  OFFLINE=(unshare -n)
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REPO=$WORK/repo
PKG=$REPO/package
"$PY" build.py --with-dev --no-zip --out "$PKG" >/dev/null
"$PY" build.py --out "$WORK/ours/package" --zip-dir "$WORK/ours" >/dev/null
git -C "$REPO" init -q
git -C "$REPO" add -A
git -C "$REPO" -c user.name=judge -c user.email=judge@localhost -c commit.gpgsign=false \
  -c core.hooksPath=/dev/null commit -q -m "fleetpkg build --with-dev"

# Files copied verbatim from the source's hand-written _dev/ assets that elastic-package's
# YAML formatter (gopkg.in/yaml.v3, indent 2) would rewrite. Their owners are to reformat them
# (see docs/fleetpkg/elastic-package.md); a file listed here that is already formatted is an error too,
# so the list only shrinks.
FORMAT_KNOWN=(
)

failed=()
ep() { (cd "$PKG" && "${OFFLINE[@]}" "$BIN" "$@"); }
step() {
  local name=$1
  shift
  local out=$WORK/$name.log
  if "$@" >"$out" 2>&1; then
    echo "   ok: $name"
    sed -n 's/^note: /     /p' "$out"
  else
    echo "   FAILED: $name"
    grep -v 'CommitHash is undefined' "$out" | sed 's/^/     /'
    failed+=("$name")
  fi
}

format_check() {
  if ep format --fail-fast; then
    reformatted=()
  else
    # Which files: let elastic-package rewrite the scratch copy and ask git.
    ep format >/dev/null 2>&1 || true
    mapfile -t reformatted < <(git -C "$PKG" diff --name-only --relative)
    git -C "$PKG" diff --relative >"$WORK/format.diff"
    git -C "$PKG" checkout -q -- .
  fi
  local status=0 f
  for f in "${reformatted[@]}"; do
    if [[ " ${FORMAT_KNOWN[*]} " != *" $f "* ]]; then
      echo "would be reformatted: $f"
      status=1
    fi
  done
  for f in "${FORMAT_KNOWN[@]}"; do
    if [[ " ${reformatted[*]} " != *" $f "* ]]; then
      echo "listed as not formatted but formatted now (remove it from FORMAT_KNOWN): $f"
      status=1
    fi
  done
  if [ ${#reformatted[@]} -gt 0 ] && [ $status -eq 0 ]; then
    echo "note: known, hand-written, not formatted: ${reformatted[*]}"
  fi
  if [ $status -ne 0 ] && [ -s "$WORK/format.diff" ]; then
    head -n 60 "$WORK/format.diff"
  fi
  return $status
}

build_check() {
  ep build || return 1
  # build renders _dev/build/docs/*.md into docs/ of the source: nothing may have changed.
  local changed
  changed=$(git -C "$REPO" status --porcelain -- package)
  if [ -n "$changed" ]; then
    echo "elastic-package build changed the source package:"
    echo "$changed"
    git -C "$REPO" diff | head -n 40
    return 1
  fi
  local name version
  name=$("$PY" -c 'import sys, yaml; m = yaml.safe_load(open(sys.argv[1])); print(m["name"])' "$PKG/manifest.yml")
  version=$("$PY" -c 'import sys, yaml; m = yaml.safe_load(open(sys.argv[1])); print(m["version"])' "$PKG/manifest.yml")
  "$PY" scripts/elastic_package_compare.py "$WORK/ours/package" "$WORK/ours/$name-$version.zip" \
    "$REPO/build/packages/$name/$version" "$REPO/build/packages/$name-$version.zip" |
    sed 's/^same /note: same /' 
}

echo "== elastic-package $PIN on a --with-dev build (${OFFLINE[*]:-network not isolated})"
step lint ep lint
step format format_check
step "test static" ep test static
step build build_check
if [ ${#failed[@]} -gt 0 ]; then
  echo "elastic-package: ${#failed[@]} of 4 checks failed: ${failed[*]}"
  exit 1
fi
echo "elastic-package: 4 of 4 checks passed (lint, format, test static, build)"
