from odoo import fields, models


class SignOcaRole(models.Model):
    """The BDE's signatory roles, found by their code by every module of the
    suite (the partner's representative, the host's, the tutor...)."""

    _inherit = "sign.oca.role"

    bde_code = fields.Char(
        string="BDE code",
        copy=False,
        help="Code of the role in the BDE's documents: the signature anchors "
        "of the reports name it ([[sign:head]]).",
    )

    _sql_constraints = [
        (
            "bde_code_uniq",
            "unique (bde_code)",
            "Another signatory role already has this BDE code.",
        ),
    ]

    def _bde_get(self, code):
        """The role of ``code``: the roles are data of the suite."""
        role = self.sudo().search([("bde_code", "=", code)], limit=1)
        if not role:
            raise ValueError(f"No signatory role with the BDE code {code!r}")
        return role
