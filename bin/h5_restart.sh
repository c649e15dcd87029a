#!/usr/bin/env bash
# The release restart script of the h5 business: a zero-downtime reload of the h5 pool only.
exec "$(dirname "$0")/control" reload h5 "$@"
