from odoo import api, models
from odoo.exceptions import UserError


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
        }
