# Entry points of the BDE suite; the scripts in tools/ do the work (see README).
.PHONY: setup test demo

# Odoo 18 check, system and Python packages, PostgreSQL, .build/odoo.conf
setup:
	bash tools/setup.sh

# fresh database bde_test + pytest; pass pytest options with ARGS="-k foo -x"
test:
	bash tools/test.sh $(ARGS)

# demo database bde_demo served on http://localhost:8069; ARGS=--reset recreates it,
# ARGS=--lan serves it to the lycée's network (demo passwords: trusted network only)
demo:
	bash tools/demo.sh $(ARGS)
