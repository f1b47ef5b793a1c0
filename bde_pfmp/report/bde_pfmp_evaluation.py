from odoo import api, models


class ReportBdePfmpEvaluation(models.AbstractModel):
    """The tutor's skills evaluations of a placement, mid-term beside final,
    with the referent teacher's visit reports: the document of the
    certifying assessment (CCF)."""

    _name = "report.bde_pfmp.report_bde_pfmp_evaluation"
    _description = "PFMP skills evaluation report"

    @api.model
    def _get_report_values(self, docids, data=None):
        placements = self.env["bde.pfmp.placement"].browse(docids)
        # Reading the placements under the user's rules first: the grids'
        # answers are then read as superuser (see _bde_grid_blocks).
        placements.check_access("read")
        return {
            "doc_ids": placements.ids,
            "doc_model": "bde.pfmp.placement",
            "docs": placements,
            "grids": {
                placement.id: placement.evaluation_ids._bde_grid_blocks()
                for placement in placements
            },
        }
