#!/usr/bin/env bash
# The release restart script of the nuomi component business: a zero-downtime reload of nuomi only.
exec "$(dirname "$0")/control" reload nuomi "$@"
