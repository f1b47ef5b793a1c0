from odoo import fields, models


class BdeNetwork(models.Model):
    """A network the lycée works in (circular, section 4): a bassin, a Campus
    des métiers et des qualifications, a Lycées des métiers network, a Greta
    or the académie's GIP FCIP. Networks are shared by all their lycées."""

    _name = "bde.network"
    _description = "Network of lycées"
    _order = "network_type, name, id"

    name = fields.Char(required=True, translate=True)
    network_type = fields.Selection(
        selection=[
            ("bassin", "Bassin (employment and training area)"),
            ("cmq", "Campus des métiers et des qualifications"),
            ("lycee_metiers", "Lycées des métiers network"),
            ("greta", "Greta (adult continuing education)"),
            ("gip_fcip", "GIP FCIP (académie)"),
            ("other", "Other network"),
        ],
        string="Type",
        required=True,
        default="bassin",
    )
    academy = fields.Char(
        string="Académie", help="Académie the network belongs to, e.g. Lyon."
    )
    company_ids = fields.Many2many(
        "res.company",
        relation="bde_network_res_company_rel",
        column1="network_id",
        column2="company_id",
        string="Lycées",
    )
    coordinator_id = fields.Many2one(
        "res.partner",
        string="Coordinator",
        help="Person who leads the network, e.g. the academic correspondent.",
    )
    website = fields.Char()
    note = fields.Html()
    active = fields.Boolean(default=True)
    lycee_count = fields.Integer(compute="_compute_lycee_count")

    def _compute_lycee_count(self):
        for network in self:
            network.lycee_count = len(network.company_ids)
