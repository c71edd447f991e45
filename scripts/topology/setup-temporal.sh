#!/bin/sh
# Temporal's one-time setup on PostgreSQL, shared by `npm run topology` and docker-compose.yml (the
# temporalio/admin-tools one-shot services run this very file):
#
#   setup-temporal.sh schema     the databases temporal and temporal_visibility, and their schemas
#                                (temporal-sql-tool; re-running applies only newer schema versions)
#   setup-temporal.sh namespace  once the frontend answers: the namespace and the product's search
#                                attributes (only those missing are added)
#
# Environment: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (temporal-sql-tool's own variables);
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default), TEMPORAL_NAMESPACE_RETENTION (30d), SEARCH_ATTRIBUTES
# ("Name=Type ..."); where the tools are: TEMPORAL_SQL_TOOL, TEMPORAL_CLI, TEMPORAL_SCHEMA_DIR (the
# admin-tools image's paths by default).
set -eu

SQL_TOOL=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
CLI=${TEMPORAL_CLI:-temporal}
SCHEMA_DIR=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
export SQL_PLUGIN=postgres12

say() { echo "[setup-temporal] $*"; }
quiet() { "$@" >/dev/null 2>&1; }

schema() {
  : "${SQL_HOST:?set SQL_HOST}" "${SQL_PORT:?set SQL_PORT}" "${SQL_USER:?set SQL_USER}" "${SQL_PASSWORD:?set SQL_PASSWORD}"
  for pair in temporal:temporal temporal_visibility:visibility; do
    db=${pair%%:*}
    dir=$SCHEMA_DIR/${pair#*:}/versioned
    # create-database fails when the database exists (a re-run): that one failure is fine.
    if out=$("$SQL_TOOL" --db "$db" create-database 2>&1); then
      say "database $db created"
    elif printf '%s' "$out" | grep -q 'already exists'; then
      say "database $db exists"
    else
      printf '%s\n' "$out" >&2
      exit 1
    fi
    "$SQL_TOOL" --db "$db" setup-schema -v 0.0
    "$SQL_TOOL" --db "$db" update-schema -d "$dir"
    say "database $db: schema up to date ($dir)"
  done
}

# Retries a command for up to $1 seconds (the frontend starts, a new namespace reaches every frontend's cache).
retry() {
  limit=$1
  shift
  waited=0
  until "$@"; do
    waited=$((waited + 1))
    if [ "$waited" -ge "$limit" ]; then
      say "gave up after ${limit} s: $*"
      return 1
    fi
    sleep 1
  done
}

namespace() {
  : "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}"
  export TEMPORAL_ADDRESS
  retry 120 quiet "$CLI" operator cluster health
  if quiet "$CLI" operator namespace describe --namespace "$NAMESPACE"; then
    say "namespace $NAMESPACE exists"
  else
    "$CLI" operator namespace create --namespace "$NAMESPACE" --retention "${TEMPORAL_NAMESPACE_RETENTION:-30d}"
    say "namespace $NAMESPACE created"
  fi
  retry 60 quiet "$CLI" operator search-attribute list --namespace "$NAMESPACE"
  existing=$("$CLI" operator search-attribute list --namespace "$NAMESPACE")
  for attribute in ${SEARCH_ATTRIBUTES:-}; do
    name=${attribute%%=*}
    if printf '%s\n' "$existing" | grep -qw "$name"; then continue; fi
    retry 30 "$CLI" operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "${attribute#*=}"
    say "search attribute $name (${attribute#*=}) added"
  done
}

case "${1:-}" in
  schema) schema ;;
  namespace) namespace ;;
  *)
    echo "usage: $0 schema|namespace" >&2
    exit 2
    ;;
esac
