#!/bin/sh
# Installs the Debian packages nnlab needs to build, test, draw and benchmark
# (libsleef-dev: make bench-vecmath compares nnlab's vector math with it):
# cmark-gfm makes the gallery (scripts/gallery.sh), and tidy, chromium and
# imagemagick check it (tests/cli/gallery.sh); python3-numpy on OpenBLAS
# (libopenblas0), python3-torch and libfann-dev are make bench's peers; libx11-dev is the live window's
# (src/plot/window.c), and xvfb, xdotool and x11-apps (xwd) test it
# on a virtual display (tests/cli/live.sh).
# With --mpi (or NNLAB_MPI=1), also Open MPI, for a build with make MPI=1.
# Idempotent: packages already present are left alone. Run as root or with sudo.
set -eu

PACKAGES="build-essential pkg-config
libplplot-dev plplot-driver-cairo fonts-dejavu-core
libcmocka-dev libinih-dev libpng-dev libsleef-dev
libxml2-utils python3 python3-numpy libopenblas0 python3-torch libfann-dev
clang libclang-rt-14-dev valgrind groff-base
cmark-gfm tidy chromium imagemagick
libx11-dev xvfb xdotool x11-apps"

mpi=${NNLAB_MPI:-0}
for arg in "$@"; do
    case "$arg" in
    --mpi) mpi=1 ;;
    *)
        echo "install-deps: unknown argument $arg (--mpi is accepted)" >&2
        exit 2
        ;;
    esac
done
[ "$mpi" = 1 ] && PACKAGES="$PACKAGES libopenmpi-dev openmpi-bin"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: need root or sudo to install:$missing" >&2
    exit 1
fi

echo "install-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
