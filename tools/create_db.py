"""Create an Odoo database as Odoo's database manager does when a French
lycée creates one: base installed with its demo data, the main company in
France and in euros, its users on Paris time, before any other module.

Accounting, which OCA's SIRENE lookup pulls in (base_vat), then installs the
French chart of accounts and its demo entries in euros; on a company left in
Odoo's default United States, its demo entries would be in dollars, and the
demo lycée could no longer change to euros.

Usage: python3 tools/create_db.py ODOO_CONF DATABASE
"""

import sys

import odoo
from odoo.service import db

config_file, name = sys.argv[1:3]
odoo.tools.config.parse_config(["-c", config_file])
db._create_empty_database(name)
db._initialize_db(None, name, True, "en_US", "admin", login="admin", country_code="FR")
