from odoo import api, models
from odoo.exceptions import UserError

from .bde_pfmp_format import document_lang, host_signatory, one_line_address


class ReportBdePfmpConvention(models.AbstractModel):
    """A PFMP convention names the host and the tutor: refuse to print one for
    a placement still searching for them."""

    _name = "report.bde_pfmp.report_bde_pfmp_convention"
    _description = "PFMP convention report"

    @api.model
    def _get_report_values(self, docids, data=None):
        placements = self.env["bde.pfmp.placement"].browse(docids)
        missing = placements.filtered(
            lambda placement: not (placement.partner_id and placement.tutor_id)
        )
        if missing:
            raise UserError(
                self.env._(
                    "Name the host and the tutor of %(students)s before printing "
                    "the convention.",
                    students=", ".join(missing.student_id.mapped("name")),
                )
            )
        return {
            "doc_ids": placements.ids,
            "doc_model": "bde.pfmp.placement",
            "docs": placements,
            "document_lang": document_lang,
            "school_signatory": _school_signatory,
            "host_signatory": host_signatory,
            "allowance_estimate": _allowance_estimate,
            "one_line_address": one_line_address,
        }


def _school_signatory(placement):
    """Who signs for the lycée, by delegation or not: the DDFPT when the head
    of school delegated PFMP conventions to them, else the head of school;
    nobody when the lycée's settings name no one (the line then stays blank
    on the paper)."""
    lycee = placement.company_id
    try:
        user = lycee._bde_school_signatory(delegable=True)
    except UserError:
        return {"name": lycee._bde_head_of_school_name(), "by_delegation": False}
    return {
        "name": user.name,
        "by_delegation": user != lycee.bde_head_of_school_user_id,
    }


def _allowance_estimate(placement):
    """The State's allowance for this PFMP as the convention states it: the
    amount set on the days done once there are any, else the days the
    schedule plans × the daily rate, within the yearly cap."""
    rate = placement.allowance_rate_id
    if not rate:
        return 0.0
    if placement.days_done:
        return placement.allowance_amount
    return min(placement.days_computed * rate.daily_rate, rate.yearly_cap)
