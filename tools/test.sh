#!/usr/bin/env bash
# Test the BDE suite from scratch: recreate the test database, install the
# installable bde_* modules with their demo data, then run pytest (pytest-odoo)
# over their tests/ folders and the top-level tests/ folder; then the HTTP tests
# of tests/workers/ against Odoo in worker mode (tools/test_workers.sh).
# Arguments are passed to pytest, e.g. `tools/test.sh -k convention -x`.
set -euo pipefail
pytest_args=("$@")
set --  # setup.sh must not see our arguments
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

db="${BDE_TEST_DB:-bde_test}"
[[ "$db" != "${BDE_DEMO_DB:-bde_demo}" ]] || die "BDE_TEST_DB must not be the demo database ($db)."
mapfile -t modules < <(bde_installable_modules)
((${#modules[@]})) || die "no installable bde_* module in $BDE_ROOT."

# A fresh database each run, so that no test depends on a previous run.
# --force closes the connections a forgotten server may hold on it.
PGOPTIONS='-c client_min_messages=warning' dropdb --if-exists --force "$db"
rm -rf "$BDE_BUILD/data/filestore/$db"
bde_install "$db" "$(IFS=,; echo "${modules[*]}")"

cd "$BDE_ROOT"
paths=()
for module in "${modules[@]}"; do
    if [[ -d "$module/tests" ]]; then paths+=("$module/tests"); fi
done
if [[ -d tests ]]; then paths+=(tests); fi
((${#paths[@]})) || die "no tests/ folder in ${modules[*]} nor at the top level."

# --odoo-http serves Odoo on a free port during the session: HttpCase and tours
# need it. Odoo's log lines (WARNING and above) show in the report of a failure.
# tests/workers/ is the second stage's (conftest.py leaves it out).
rc=0
"$BDE_PYTHON" -m pytest --odoo-config="$BDE_ODOO_CONF" --odoo-database="$db" --odoo-http \
    --odoo-log-level=warn "${paths[@]}" "${pytest_args[@]}" || rc=$?
if ((rc == 5)); then
    die "pytest collected no test in ${paths[*]}: files must be named test_*.py or bench_*.py."
fi

# Second stage: HTTP tests against Odoo in worker mode (--workers 2, default
# limits), on the same database, whatever the first stage gave.
workers_rc=0
bash "$BDE_ROOT/tools/test_workers.sh" "$db" || workers_rc=$?
((rc)) || rc=$workers_rc
exit "$rc"
