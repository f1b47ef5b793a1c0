"""Record rules are noupdate data: the host ratings' company rule, which now
lets the academic correspondent read the scores of every lycée they follow
without ticking them in the company switcher, is written here on databases
installed before."""

from odoo import SUPERUSER_ID, api

RATING_COMPANY_RULE = (
    "['|', ('company_id', 'in', company_ids), "
    "('company_id', 'in', user.company_ids.ids "
    "if user.has_group('bde_lycee.group_bde_network_reader') "
    "and not user.has_group('bde_lycee.group_bde_user') else [])]"
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("bde_pfmp.bde_host_rating_rule_company", raise_if_not_found=False)
    if rule:
        rule.domain_force = RATING_COMPANY_RULE
