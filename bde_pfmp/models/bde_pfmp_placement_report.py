from odoo import api, fields, models

# Where the referent teacher's visits of a placement stand, as the PFMP board
# groups them; a placement is late when past its middle and not visited.
VISIT_STATUSES = [
    ("none", "No visit"),
    ("planned", "Visit planned"),
    ("done", "Visited"),
]


class BdePfmpPlacement(models.Model):
    _inherit = ["bde.pfmp.placement", "bde.pfmp.school.year.mixin"]
    _name = "bde.pfmp.placement"

    visit_status = fields.Selection(
        VISIT_STATUSES,
        string="Visit status",
        compute="_compute_visit_status",
        store=True,
        help="Visited: a visit or call is done; visit planned: one is planned, "
        "none done yet; no visit: none planned.",
    )

    @api.depends("visit_ids.state")
    def _compute_visit_status(self):
        for placement in self:
            states = set(placement.visit_ids.mapped("state"))
            if "done" in states:
                placement.visit_status = "done"
            elif states:
                placement.visit_status = "planned"
            else:
                placement.visit_status = "none"
