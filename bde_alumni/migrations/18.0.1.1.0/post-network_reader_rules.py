"""Record rules are noupdate data: those that bde_lycee's rules replace are
removed here. The network reader's rule that hid the alumni only gave them
every student back (group rules add up); the indicators' global rule kept the
network reader to the lycées ticked in the company switcher."""

from odoo import SUPERUSER_ID, api

OBSOLETE_RULES = (
    "bde_alumni.res_partner_rule_alumni_network_reader",
    "bde_alumni.res_partner_rule_alumni_bde_user",
    "bde_alumni.bde_alumni_indicator_rule_company",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in OBSOLETE_RULES:
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.unlink()
