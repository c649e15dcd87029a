# PM2 for bench/compare and bench/isolation (sourced): the version the anchors (../shared/anchors)
# were measured with, so that a figure compares against one known PM2, not whatever the registry
# serves that day.
PM2_VERSION=7.0.4

# Installs PM2 $PM2_VERSION into $1/bench/node_modules unless it is there; $2 names the caller.
ensure_pm2() {
  local root=$1 caller=$2
  if ! grep -qs "\"version\": \"$PM2_VERSION\"" "$root/bench/node_modules/pm2/package.json"; then
    echo "$caller: installing PM2 $PM2_VERSION into bench/node_modules (npm)" >&2
    npm install --prefix "$root/bench" --no-save --no-package-lock --no-audit --no-fund "pm2@$PM2_VERSION" >&2
  fi
}
