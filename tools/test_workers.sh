#!/usr/bin/env bash
# Run the HTTP tests of tests/workers/ against Odoo in worker mode, as it runs
# in production: `--workers 2` with Odoo's default time and memory limits, so a
# request that a limit kills (a reset connection, a timeout) fails a test.
#
# Usage: tools/test_workers.sh [DB] [pytest options and tests/workers/ files]
#   DB defaults to BDE_TEST_DB (bde_test): an installed database with the demo
#   data, which tools/test.sh made. `make test` runs this stage after the
#   pytest-odoo one; run it alone to retest an existing database.
#
# pytest-odoo cannot do this: it serves HTTP from the test process with Odoo's
# threaded server, as HttpCase needs (its requests share the test's cursor).
# Here Odoo runs apart, commits what the tests do, and the tests are plain
# pytest with `requests` (tests/workers/README.md).
set -euo pipefail
db="${1:-${BDE_TEST_DB:-bde_test}}"
pytest_args=("${@:2}")
set --  # setup.sh must not see our arguments
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

[[ "$db" != "${BDE_DEMO_DB:-bde_demo}" ]] || die "the worker-mode tests write in their database: not the demo one ($db)."
bde_db_exists "$db" || die "no database $db: run make test first, or name an installed database."
! grep -qE '^\s*limit_' "$BDE_ODOO_CONF" \
    || die "$BDE_ODOO_CONF sets a limit_* option: the worker-mode tests need Odoo's default limits."

free_port() {
    "$BDE_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
http_port="$(free_port)"
gevent_port="$(free_port)"  # the websocket process of worker mode, off 8072
log="$BDE_BUILD/workers-$db.log"
# What does not go through Odoo's logging (a crash before it starts).
out="$BDE_BUILD/workers-$db.out"
base_url="http://127.0.0.1:$http_port"

# No limit_* option: Odoo's defaults (60 s of CPU and 120 s in all per
# request, 2 GiB soft / 2.5 GiB hard memory), which .build/odoo.conf does not
# change. No cron worker: the tests are about HTTP requests, and a cron run in
# the middle would only make them less repeatable.
say "worker-mode tests: Odoo --workers 2 on $base_url, database $db (log: .build/workers-$db.log)"
start=$SECONDS
# Worker mode starts its websocket process as `python <argv[0]> gevent`, which
# fails when argv[0] is odoo/__main__.py (`python -m odoo`): start odoo-bin.
odoo_bin=("$BDE_PYTHON" -m odoo)
[[ -f "$ODOO_ROOT/odoo-bin" ]] && odoo_bin=("$BDE_PYTHON" "$ODOO_ROOT/odoo-bin")
# setsid: the server, its workers and the wkhtmltopdf they start form one
# process group, stopped as a whole on exit (whatever the outcome).
: >"$log"
setsid "${odoo_bin[@]}" -c "$BDE_ODOO_CONF" -d "$db" --db-filter="^$db\$" \
    --workers=2 --max-cron-threads=0 --http-port="$http_port" --gevent-port="$gevent_port" \
    --log-level=info --logfile="$log" >"$out" 2>&1 &
server_pid=$!
stop_server() {
    kill -TERM -- "-$server_pid" 2>/dev/null || return 0
    for _ in $(seq 40); do kill -0 -- "-$server_pid" 2>/dev/null || return 0; sleep 0.25; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

show_log() {  # $1: the file to show
    echo "[bde] last lines of ${1#"$BDE_ROOT/"}:" >&2
    tail -40 "$1" | sed 's/^/    /' >&2
}
ready=0
for _ in $(seq 120); do
    if curl -fsS -o /dev/null "$base_url/web/health" 2>/dev/null; then ready=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
if ((!ready)); then
    show_log "$log"
    show_log "$out"
    die "Odoo in worker mode did not answer on $base_url/web/health."
fi

cd "$BDE_ROOT"
rc=0
# -c: the folder's own pytest.ini, so that the repository's conftest.py (Odoo's
# test runner) stays out of this run.
# The whole folder, unless the arguments name some of its files.
paths=(tests/workers)
for arg in "${pytest_args[@]}"; do [[ "$arg" != tests/workers/* ]] || paths=(); done
BDE_WORKERS_URL="$base_url" BDE_WORKERS_DB="$db" "$BDE_PYTHON" -m pytest \
    -c tests/workers/pytest.ini "${paths[@]}" "${pytest_args[@]}" || rc=$?
say "worker-mode stage: $((SECONDS - start)) s"
if ((rc)); then
    show_log "$log"
    ((rc != 5)) || die "pytest collected no test in tests/workers."
    die "worker-mode tests failed (pytest exit code $rc), Odoo's log: .build/workers-$db.log"
fi
