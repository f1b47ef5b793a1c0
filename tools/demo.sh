#!/usr/bin/env bash
# Serve a demo of the BDE suite: database bde_demo (BDE_DEMO_DB) with the
# installable bde_* modules, their demo data and French for admin, on
# http://localhost:8069 (BDE_HTTP_PORT). The database is kept between runs;
# --reset recreates it. Other arguments go to Odoo (e.g. -u bde_lycee).
set -euo pipefail
reset=0
odoo_args=()
for arg in "$@"; do
    if [[ "$arg" == --reset ]]; then reset=1; else odoo_args+=("$arg"); fi
done
set --  # setup.sh must not see our arguments
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

db="${BDE_DEMO_DB:-bde_demo}"
mapfile -t modules < <(bde_installable_modules)
((${#modules[@]})) || die "no installable bde_* module in $BDE_ROOT."

if ((reset)); then
    say "dropping $db"
    PGOPTIONS='-c client_min_messages=warning' dropdb --if-exists --force "$db"
    rm -rf "$BDE_BUILD/data/filestore/$db"
fi

module_list="$(IFS=,; echo "${modules[*]}")"
if ! bde_db_exists "$db"; then
    # A half-made database would be served as is by the next run: drop it on failure.
    trap 'PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$db"' EXIT
    # French for admin and a French lycée: the users of the suite work in French.
    bde_install "$db" "$module_list" --load-language=fr_FR
    bde_odoo shell -c "$BDE_ODOO_CONF" -d "$db" --no-http --log-level=warn >/dev/null <<'PY'
env.ref("base.user_admin").lang = "fr_FR"
env.ref("base.main_company").country_id = env.ref("base.fr")
env.cr.commit()
PY
    trap - EXIT
else
    # Modules that became installable since the database was made.
    missing="$(bde_not_installed "$db" "$module_list")"
    if [[ -n "$missing" ]]; then bde_install "$db" "$missing"; fi
fi

say "BDE demo on http://localhost:$BDE_HTTP_PORT  (login: admin, password: admin, database: $db)"
exec "$BDE_PYTHON" -m odoo -c "$BDE_ODOO_CONF" -d "$db" --http-port="$BDE_HTTP_PORT" \
    --log-level=info "${odoo_args[@]}"
