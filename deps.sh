#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Set-up from a bare Debian 12: make is not there yet, so install it
# (and git's companion ca-certificates is not needed: nothing is fetched
# but Debian packages), then let `make deps` install the rest.  As
# another user than root, print the exact command to run instead.
set -eu
cd "$(dirname "$0")"
if ! command -v make >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps.sh: installing make"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make
	else
		echo "deps.sh: make is missing; run as root:"
		echo "  apt-get update && apt-get install -y make && make deps"
		exit 1
	fi
fi
exec make deps
