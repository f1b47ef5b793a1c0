from odoo import api, models
from odoo.exceptions import UserError

from ..models.bde_pfmp_placement import ENDED_STATES
from .bde_pfmp_format import document_lang, host_signatory, one_line_address


class ReportBdePfmpAttestation(models.AbstractModel):
    """The attestation certifies a period that took place: refuse it for a
    placement that has not ended."""

    _name = "report.bde_pfmp.report_bde_pfmp_attestation"
    _description = "PFMP attestation report"

    @api.model
    def _get_report_values(self, docids, data=None):
        placements = self.env["bde.pfmp.placement"].browse(docids)
        not_ended = placements.filtered(
            lambda placement: placement.state not in ENDED_STATES
        )
        if not_ended:
            raise UserError(
                self.env._(
                    "The placements of %(students)s have not ended: the attestation "
                    "is issued once the period is done or interrupted.",
                    students=", ".join(not_ended.student_id.mapped("name")),
                )
            )
        return {
            "doc_ids": placements.ids,
            "doc_model": "bde.pfmp.placement",
            "docs": placements,
            "document_lang": document_lang,
            "host_signatory": host_signatory,
            "one_line_address": one_line_address,
        }
