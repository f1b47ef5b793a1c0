#!/usr/bin/env bash
# Prepare this machine for the BDE suite, idempotently: find Odoo 18.0, install
# the missing system and Python packages, make sure PostgreSQL runs and knows
# the current user, and generate .build/odoo.conf.
#
# Run it (`bash tools/setup.sh`) or source it from a script: test.sh and
# demo.sh source it to reuse the variables and functions it defines
# (BDE_ROOT, BDE_PYTHON, BDE_ODOO_CONF, bde_odoo, bde_installable_modules...).
# It exits on error, so do not source it from an interactive shell.
set -euo pipefail

BDE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BDE_BUILD="$BDE_ROOT/.build"
BDE_ODOO_CONF="$BDE_BUILD/odoo.conf"
BDE_PYTHON="${PYTHON:-python3}"
BDE_HTTP_PORT="${BDE_HTTP_PORT:-8069}"
mkdir -p "$BDE_BUILD"

say() { echo "[bde] $*"; }
die() { echo "[bde] ERROR: $*" >&2; exit 1; }
# Root runs admin commands directly; anyone else needs password-less sudo.
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo -n "$@"; fi; }
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

# --- (a) Odoo 18.0 ----------------------------------------------------------
# ODOO_PATH (a source checkout holding odoo/ and addons/) wins over whatever
# Odoo `python3 -c "import odoo"` finds: PYTHONPATH comes before site-packages.
ODOO_DOC="https://www.odoo.com/documentation/18.0/administration/on_premise/source.html"
if [[ -n "${ODOO_PATH:-}" ]]; then
    [[ -d "$ODOO_PATH/odoo" ]] || die "ODOO_PATH=$ODOO_PATH does not contain an odoo/ folder."
    export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! odoo_info="$("$BDE_PYTHON" -c 'import os, odoo, odoo.release as r
print(r.major_version, os.path.dirname(odoo.__path__[0]))' 2>&1)"; then
    echo "$odoo_info" | tail -3 >&2
    die "$BDE_PYTHON cannot import Odoo. Install Odoo 18.0 Community from source with its
Python requirements, as explained in $ODOO_DOC
then make '$BDE_PYTHON -c \"import odoo\"' work, or set ODOO_PATH to the checkout."
fi
read -r odoo_version ODOO_ROOT <<<"$odoo_info"
[[ "$odoo_version" == "18.0" ]] || die "found Odoo $odoo_version at $ODOO_ROOT, the BDE suite needs 18.0.
Install Odoo 18.0 Community from source ($ODOO_DOC) or set ODOO_PATH to an 18.0 checkout."

# --- (b) system and Python packages -----------------------------------------
# apt runs only when something is missing, so a ready machine stays offline.
missing_apt=()
command -v google-chrome >/dev/null || command -v chromium >/dev/null \
    || command -v chromium-browser >/dev/null || command -v google-chrome-stable >/dev/null \
    || missing_apt+=(chromium)  # Odoo tours (HttpCase) look for these four names
command -v wkhtmltopdf >/dev/null || missing_apt+=(wkhtmltopdf)          # PDF reports
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing_apt+=(fonts-dejavu-core)
command -v psql >/dev/null || missing_apt+=(postgresql)
if ((${#missing_apt[@]})); then
    command -v apt-get >/dev/null || die "missing system packages: ${missing_apt[*]}; install them."
    say "installing system packages: ${missing_apt[*]} (log: .build/apt.log)"
    { as_root apt-get update -qq \
        && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing_apt[@]}"; } >"$BDE_BUILD/apt.log" 2>&1 \
        || { tail -20 "$BDE_BUILD/apt.log" >&2; die "apt-get failed, see .build/apt.log"; }
fi

missing_pip="$("$BDE_PYTHON" "$BDE_ROOT/tools/missing_requirements.py" "$BDE_ROOT/requirements.txt")"
if [[ -n "$missing_pip" ]]; then
    say "installing Python packages: $(echo $missing_pip) (log: .build/pip.log)"
    PIP_ROOT_USER_ACTION=ignore "$BDE_PYTHON" -m pip install -q --disable-pip-version-check \
        -r "$BDE_ROOT/requirements.txt" >"$BDE_BUILD/pip.log" 2>&1 \
        || { tail -20 "$BDE_BUILD/pip.log" >&2; die "pip install failed, see .build/pip.log"; }
fi

# OCA add-ons (requirements-oca.txt) are wheels that require a pip package
# "odoo", which a source install lacks, and whose odoo/ folder would shadow the
# source Odoo in site-packages: pip puts them apart in .build/oca, without
# dependencies (the file lists them), and that folder joins the addons path.
BDE_OCA="$BDE_BUILD/oca"
missing_oca="$(PYTHONPATH="$BDE_OCA${PYTHONPATH:+:$PYTHONPATH}" "$BDE_PYTHON" \
    "$BDE_ROOT/tools/missing_requirements.py" "$BDE_ROOT/requirements-oca.txt")"
if [[ -n "$missing_oca" ]]; then
    say "installing OCA add-ons: $(echo $missing_oca) (log: .build/pip.log)"
    PIP_ROOT_USER_ACTION=ignore "$BDE_PYTHON" -m pip install -q --disable-pip-version-check \
        --no-deps --upgrade --target "$BDE_OCA" -r "$BDE_ROOT/requirements-oca.txt" \
        >>"$BDE_BUILD/pip.log" 2>&1 \
        || { tail -20 "$BDE_BUILD/pip.log" >&2; die "pip install of the OCA add-ons failed, see .build/pip.log"; }
fi

# --- (c) PostgreSQL ---------------------------------------------------------
# Odoo reaches PostgreSQL through the local unix socket as the current OS user
# (peer authentication), so no password is ever needed.
if command -v pg_lsclusters >/dev/null; then
    # Debian's clusters: take the newest one, or the one listening on BDE_DB_PORT.
    read -r pg_version pg_cluster pg_port _ < <(pg_lsclusters --no-header \
        | awk -v p="${BDE_DB_PORT:-}" 'p == "" || $3 == p' | sort -V | tail -1) \
        || die "no PostgreSQL cluster${BDE_DB_PORT:+ on port $BDE_DB_PORT} (see pg_lsclusters)."
    BDE_DB_PORT="${BDE_DB_PORT:-$pg_port}"
fi
BDE_DB_PORT="${BDE_DB_PORT:-5432}"
export PGPORT="$BDE_DB_PORT"  # for psql, createdb, dropdb called here and by pytest-odoo
unset PGHOST PGDATABASE PGUSER  # the socket, as the current user, like Odoo
if ! pg_isready -q; then
    [[ -n "${pg_cluster:-}" ]] || die "PostgreSQL does not answer on port $BDE_DB_PORT; start it."
    say "starting PostgreSQL $pg_version/$pg_cluster"
    # pg_ctlcluster also clears the stale pid file of a killed server.
    as_root pg_ctlcluster "$pg_version" "$pg_cluster" start
    for _ in $(seq 60); do pg_isready -q && break; sleep 0.5; done
    pg_isready -q || die "PostgreSQL $pg_version/$pg_cluster did not start (see /var/log/postgresql/)."
fi
db_user="$(id -un)"
if [[ "$(psql -d postgres -tAc 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" != t ]]; then
    say "creating the PostgreSQL superuser role $db_user"
    as_postgres createuser --superuser "$db_user"
fi

# --- (d) Odoo configuration -------------------------------------------------
# The repo root is an addons folder only once it holds a module, and Odoo
# refuses an addons_path entry without one.
addons_path="$ODOO_ROOT/odoo/addons"
[[ -d "$ODOO_ROOT/addons" ]] && addons_path="$ODOO_ROOT/addons,$addons_path"
[[ -d "$BDE_OCA/odoo/addons" ]] && addons_path="$BDE_OCA/odoo/addons,$addons_path"
compgen -G "$BDE_ROOT/*/__manifest__.py" >/dev/null && addons_path="$BDE_ROOT,$addons_path"
cat >"$BDE_ODOO_CONF" <<EOF
; Generated by tools/setup.sh at each run: change the script, not this file.
[options]
addons_path = $addons_path
data_dir = $BDE_BUILD/data
; no host: the unix socket, with peer authentication as the current user
db_host = False
db_port = $BDE_DB_PORT
db_user = $db_user
db_password = False
http_interface = 127.0.0.1
http_port = $BDE_HTTP_PORT
without_demo = False
log_level = warn
EOF

# Odoo as the scripts run it: `python -m odoo` with the Python that imports Odoo 18.0.
bde_odoo() { "$BDE_PYTHON" -m odoo "$@"; }

# The bde_* modules whose manifest does not say installable: False.
bde_installable_modules() {
    "$BDE_PYTHON" - "$BDE_ROOT" <<'EOF'
import ast, pathlib, sys
for manifest in sorted(pathlib.Path(sys.argv[1]).glob("bde_*/__manifest__.py")):
    if ast.literal_eval(manifest.read_text(encoding="utf-8")).get("installable", True):
        print(manifest.parent.name)
EOF
}

# Install the modules $2 (comma-separated) with their demo data into database
# $1, creating it if needed; more arguments go to Odoo. Odoo often logs an
# install failure and still exits 0, and only warns about an unknown module:
# fail on an ERROR or CRITICAL log line and on a module left uninstalled.
bde_install() {
    local db="$1" modules="$2" log="$BDE_BUILD/install-$1.log" rc=0 start=$SECONDS
    local line='^[0-9-]+ [0-9:,]+ [0-9]+ '
    shift 2
    if ! bde_db_exists "$db"; then bde_create_db "$db"; fi
    say "installing $modules with demo data into $db (log: .build/install-$db.log)"
    bde_odoo -c "$BDE_ODOO_CONF" -d "$db" -i "$modules" --stop-after-init --no-http \
        --log-level=info "$@" >"$log" 2>&1 || rc=$?
    say "install time: $((SECONDS - start)) s"
    grep -E "${line}WARNING " "$log" | sed 's/^/    /' || true
    # Odoo only warns when a module's demo data fails, and installs it without.
    if ((rc)) || grep -qE "$line(ERROR|CRITICAL) |demo data failed to install" "$log"; then
        # the error lines, then the end of the last traceback
        grep -E "$line(ERROR|CRITICAL) " "$log" >&2 || true
        grep -vE "$line(INFO|DEBUG) " "$log" | tail -12 >&2 || true
        die "installing $modules into $db failed (exit code $rc), see .build/install-$db.log"
    fi
    [[ -z "$(bde_not_installed "$db" "$modules")" ]] \
        || die "$(bde_not_installed "$db" "$modules") not installed in $db, see .build/install-$db.log"
}

# Create database $1 as Odoo's database manager does for a French lycée (see
# tools/create_db.py); _initialize_db only logs its failures: check its company.
bde_create_db() {
    "$BDE_PYTHON" "$BDE_ROOT/tools/create_db.py" "$BDE_ODOO_CONF" "$1" \
        >"$BDE_BUILD/create-$1.log" 2>&1 || die "creating $1 failed, see .build/create-$1.log"
    [[ "$(psql -d "$1" -tAc "SELECT c.name FROM res_company co
        JOIN res_currency c ON c.id = co.currency_id WHERE co.id = 1" 2>/dev/null)" == EUR ]] \
        || die "creating $1 failed (its company is not in euros), see .build/create-$1.log"
}

# Which of the modules $2 (comma-separated) are not installed in database $1.
bde_not_installed() {
    psql -d "$1" -tAc "SELECT string_agg(m, ',') FROM unnest(string_to_array('$2', ',')) m
        WHERE m NOT IN (SELECT name FROM ir_module_module WHERE state = 'installed')"
}

# Is database $1 present?
bde_db_exists() { [[ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" == 1 ]]; }

say "Odoo $odoo_version at $ODOO_ROOT, PostgreSQL on port $BDE_DB_PORT, config .build/odoo.conf"
