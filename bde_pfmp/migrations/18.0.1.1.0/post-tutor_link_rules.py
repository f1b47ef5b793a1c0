"""Record rules are noupdate data: the placements' company rule, which now
lets a tutor with a portal account read their trainees of every lycée, is
written here on databases installed before. Tutors' links sent before do not
name their tutor and open nothing any more: the BDE sends them again."""

from odoo import SUPERUSER_ID, api

PLACEMENT_COMPANY_RULE = (
    "['|', ('company_id', 'in', company_ids), "
    "('tutor_id', 'in', user.partner_id.ids if user.share else [])]"
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("bde_pfmp.bde_pfmp_placement_rule_company", raise_if_not_found=False)
    if rule:
        rule.domain_force = PLACEMENT_COMPANY_RULE
