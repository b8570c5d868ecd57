#!/usr/bin/env bash
# Build the Linux bundle with PyInstaller and pack it as a tarball.
#
#   packaging/linux_tarball.sh [--no-selftest] [OUT_DIR]      (default: dist/)
#
# Produces OUT_DIR/TalentCollector/ (run ./TalentCollector or ./collector) and
# OUT_DIR/TalentCollector-<version>-linux-<arch>.tar.gz, then runs the bundle's --selftest.
# Uses .venv/bin/python when present (python3 run.py test creates it), else python3.
set -euo pipefail
SELFTEST=1
if [ "${1:-}" = "--no-selftest" ]; then SELFTEST=0; shift; fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY=python3
WORK="$(mktemp -d "${TMPDIR:-/tmp}/talentcollector-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

"$PY" -m PyInstaller --version >/dev/null 2>&1 || {
  echo "需要 PyInstaller：$PY -m pip install 'pyinstaller>=6.5'" >&2; exit 2; }

command -v objdump >/dev/null || {
  echo "需要 binutils（PyInstaller 用 objdump 分析动态库）：apt-get install binutils" >&2; exit 2; }

VERSION="$(cd "$ROOT" && "$PY" -c 'import collector; print(collector.__version__)')"
ARCH="$(uname -m)"
NAME="TalentCollector-$VERSION-linux-$ARCH"

echo "构建 $NAME …"
(cd "$ROOT" && "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT" --workpath "$WORK" build_installer.spec)

BUNDLE="$OUT/TalentCollector"
cp "$ROOT/packaging/README-linux.txt" "$BUNDLE/README.txt"
if [ "$SELFTEST" = 1 ]; then
  echo "自检 …"
  QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$BUNDLE/collector" --selftest >/dev/null
fi

tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" --transform "s,^TalentCollector,$NAME," TalentCollector
echo "完成：$OUT/$NAME.tar.gz（$(du -h "$OUT/$NAME.tar.gz" | cut -f1)）"
