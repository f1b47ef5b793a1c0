#!/usr/bin/env bash
# Serve a demo of the BDE suite: database bde_demo (BDE_DEMO_DB) with the
# installable bde_* modules, their demo data and French for admin, on
# http://localhost:8069 (BDE_HTTP_PORT). The database is kept between runs;
# --reset recreates it. --lan (or BDE_DEMO_LAN=1) serves it to the lycée's
# network on every interface instead of this machine alone. Other arguments
# go to Odoo (e.g. -u bde_lycee).
set -euo pipefail
reset=0
lan="${BDE_DEMO_LAN:-0}"
odoo_args=()
for arg in "$@"; do
    case "$arg" in
        --reset) reset=1 ;;
        --lan) lan=1 ;;
        *) odoo_args+=("$arg") ;;
    esac
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
    # French for admin, the demo users and a French lycée: the users of the
    # suite work in French.
    bde_install "$db" "$module_list" --load-language=fr_FR
    bde_odoo shell -c "$BDE_ODOO_CONF" -d "$db" --no-http --log-level=warn >/dev/null <<'PY'
env["res.users"].search([]).write({"lang": "fr_FR"})
# The lycées' documents (the yearly report) are in the lycée's language.
env["res.company"].search([]).partner_id.write({"lang": "fr_FR"})
env.cr.commit()
PY
    trap - EXIT
else
    # Modules that became installable since the database was made.
    missing="$(bde_not_installed "$db" "$module_list")"
    if [[ -n "$missing" ]]; then bde_install "$db" "$missing"; fi
fi

# The machine's address on the lycée's network: the source address of its
# default route, else the first address hostname reports.
lan_address() {
    local address
    address="$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
    [[ -n "$address" ]] || address="$(hostname -I 2>/dev/null | cut -d' ' -f1)"
    echo "${address:-$(hostname)}"
}

interface=127.0.0.1
host=localhost
if [[ "$lan" == 1 ]]; then
    interface=0.0.0.0
    host="$(lan_address)"
    say "WARNING: the demo is open to every machine of the network, and its users'"
    say "passwords are public (admin/admin, each demo login's password is the login)."
    say "Show it on a trusted network only, never with real data; stop it with Ctrl+C."
fi
say "BDE demo on http://$host:$BDE_HTTP_PORT  (login: admin, password: admin, database: $db)"
exec "$BDE_PYTHON" -m odoo -c "$BDE_ODOO_CONF" -d "$db" --http-port="$BDE_HTTP_PORT" \
    --http-interface="$interface" --log-level=info "${odoo_args[@]}"
