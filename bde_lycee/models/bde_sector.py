from odoo import fields, models


class BdeSector(models.Model):
    """A professional sector (filière): it groups formations and tells which
    companies a formation relates to."""

    _name = "bde.sector"
    _description = "Professional sector"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code, e.g. the NSF group of the sector.")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A sector with this name already exists."),
    ]
