#!/usr/bin/env bash
# Incident runbook: show the latest executions, then relaunch the one that did not complete.
#
# Usage: jobs/relaunch.sh [--force-date=YYYY-MM-DD]
#
#   --force-date=DATE  if there is nothing to restart, run DATE once more with --force
#                      (safe: the ledger makes restoration idempotent)
#
# Environment: the same connection variables as the nightly job (SPRING_DATASOURCE_*,
# SPRING_DATA_REDIS_*, optional STOCKRECON_*), plus
#   STOCKRECON_JAR       the jar (default /opt/stockrecon/stockrecon.jar)
#   JAVA                 the java binary (default java)
#   STOCKRECON_ENV_FILE  optional KEY=value file to load first, e.g. /etc/stockrecon/stockrecon.env
#
# Exits with the exit code of the last stockrecon command it ran (see jobs/README.md).
set -euo pipefail

JAR="${STOCKRECON_JAR:-/opt/stockrecon/stockrecon.jar}"
JAVA="${JAVA:-java}"
force_date=""
force_given=false

usage() {
  echo "Usage: $0 [--force-date=YYYY-MM-DD]" >&2
}

for arg in "$@"; do
  case "$arg" in
    --force-date=*)
      force_date="${arg#--force-date=}"
      force_given=true
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "Unknown argument: $arg" >&2
      usage
      exit 2
      ;;
  esac
done
if [[ "$force_given" == true && ! "$force_date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "--force-date needs a date written as YYYY-MM-DD, not '$force_date'." >&2
  exit 2
fi

if [[ -n "${STOCKRECON_ENV_FILE:-}" ]]; then
  set -a
  # shellcheck source=/dev/null
  . "$STOCKRECON_ENV_FILE"
  set +a
fi

stockrecon() {
  echo "+ $JAVA -Xmx512m -XX:+UseSerialGC -jar $JAR $*"
  "$JAVA" -Xmx512m -XX:+UseSerialGC -jar "$JAR" "$@"
}

echo "== 1. Latest executions"
rc=0
stockrecon history --limit=5 || rc=$?
case "$rc" in
  0) ;;
  2) echo "(history exited 2: this stockrecon version has no 'history' command, or the configuration" \
    "is wrong - then the message above says what to fix. Continuing.)" ;;
  *) echo "(history exited $rc. Continuing.)" ;;
esac

echo
echo "== 2. Restart the latest execution that did not complete"
rc=0
stockrecon restart || rc=$?
case "$rc" in
  0)
    echo "Done: the restarted execution completed."
    ;;
  3)
    echo "Nothing to restart, or another execution is running (the message above says which)."
    if [[ -n "$force_date" ]]; then
      echo
      echo "== 3. Run $force_date once more (--force: safe, the ledger makes restoration idempotent)"
      rc=0
      stockrecon run --run-date="$force_date" --force || rc=$?
      case "$rc" in
        0) echo "Done: $force_date completed." ;;
        1) echo "The forced run failed: read the summary above, fix the cause, then run this script again." ;;
        2) echo "Configuration error: the message above says what to fix." ;;
        3) echo "Refused: another execution is running. Let it finish; do not start more." ;;
        143) echo "Stopped by SIGTERM: its execution stays STARTED. Run this script again to continue it." ;;
        *) echo "Unexpected exit code $rc." ;;
      esac
    else
      echo "If an execution is running, let it finish. To run a date again anyway: $0 --force-date=YYYY-MM-DD"
    fi
    ;;
  1)
    echo "The restarted execution failed again. Read the summary and failure above and fix the cause" \
      "before restarting once more. Do not run this script in a loop."
    ;;
  2)
    echo "Configuration error (options, database or Redis unreachable, credentials):" \
      "the message above says what to fix."
    ;;
  143)
    echo "Stopped by SIGTERM: the execution stays STARTED. Run this script again to continue it."
    ;;
  *)
    echo "Unexpected exit code $rc."
    ;;
esac
exit "$rc"
