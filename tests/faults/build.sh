#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the fault-injection shim (inject.c) into folder $1 (default $TMP)
# and print its path.  Used by the tests/cli/cases/fault-* cases:
#   SHIM=$(sh tests/faults/build.sh "$TMP") || exit 99
dir=${1:-${TMP:-/tmp}}
here=$(dirname "$0")
${CC:-cc} -std=c11 -O1 -g -shared -fPIC -o "$dir/inject.so" "$here/inject.c" -ldl >&2 || exit 1
echo "$dir/inject.so"
