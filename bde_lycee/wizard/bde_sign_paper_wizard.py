from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.bde_sign_mixin import OFFICER_GROUP


class BdeSignPaperWizard(models.TransientModel):
    """One party signed the document on paper: the BDE records the day and
    attaches the scan; the others keep signing online."""

    _name = "bde.sign.paper.wizard"
    _description = "Record a signature on paper"

    signer_id = fields.Many2one(
        "sign.oca.request.signer", string="Signatory", required=True, readonly=True
    )
    date_signed = fields.Date(
        string="Signed on", required=True, default=fields.Date.context_today
    )
    scan = fields.Binary(string="Scan of the signed page", required=True)
    scan_filename = fields.Char()

    @api.model
    def default_get(self, fields_list):
        self._check_officer()
        return super().default_get(fields_list)

    @api.constrains("signer_id")
    def _check_signer_id(self):
        # A lycée's staff record the signatures of their own lycée's documents.
        self.signer_id.check_access("read")

    def _check_officer(self):
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only the BDE manager records a signature on paper.")
            )

    def action_confirm(self):
        self.ensure_one()
        self._check_officer()
        signer = self.signer_id.sudo()
        record = signer.request_id._bde_document()
        if record is None:
            raise UserError(self.env._("This signatory signs no document of the BDE."))
        # The user must reach the document itself, not only the signer.
        record.with_env(self.env).check_access("write")
        if signer.request_id.state != "0_sent" or signer.signed_on:
            raise UserError(
                self.env._(
                    "%(partner)s has nothing left to sign on %(name)s.",
                    partner=signer.partner_id.name,
                    name=record.display_name,
                )
            )
        if self.date_signed > fields.Date.context_today(self):
            raise UserError(self.env._("A signature cannot be dated in the future."))
        signer._bde_sign_on_paper(
            self.date_signed,
            self.scan,
            self.scan_filename
            or self.env._("%(name)s - signed on paper.pdf", name=record.display_name),
        )
        return {"type": "ir.actions.act_window_close"}
