from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BdeSignWizard(models.TransientModel):
    """Sign one or several documents at once (the head of school's inbox):
    the user draws their signature once; each document's pending signer of
    the user signs with it, in sequence. All or nothing: one document that
    cannot be signed leaves every one unsigned."""

    _name = "bde.sign.wizard"
    _description = "Sign documents"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(readonly=True)
    document_names = fields.Text(string="Documents", compute="_compute_document_names")
    signature = fields.Binary(string="Your signature")

    @api.depends("res_model", "res_ids")
    def _compute_document_names(self):
        for wizard in self:
            wizard.document_names = "\n".join(
                wizard._get_documents().mapped("display_name")
            )

    def _get_documents(self):
        """The documents, read with the user's own rights."""
        self.ensure_one()
        if self.res_model not in self.env or not isinstance(
            self.env[self.res_model], self.pool["bde.sign.mixin"]
        ):
            raise UserError(self.env._("These records are not documents to sign."))
        documents = self.env[self.res_model].browse(self.res_ids or []).exists()
        documents.check_access("read")
        return documents

    def action_sign(self):
        self.ensure_one()
        if not self.signature:
            raise UserError(self.env._("Draw your signature first."))
        documents = self._get_documents()
        if not documents:
            raise UserError(self.env._("There is no document to sign."))
        partner = self.env.user.partner_id
        for document in documents:
            signers = document._bde_sign_pending_signers(partner)
            if not signers:
                raise UserError(
                    self.env._(
                        "%(name)s does not wait for your signature: no document "
                        "was signed.",
                        name=document.display_name,
                    )
                )
            for signer in signers:
                self._sign_as(document, signer)
        return {"type": "ir.actions.act_window_close"}

    def _sign_as(self, document, signer):
        """``signer`` signs ``document`` with the drawn signature. sudo: the
        checks are the user's partner and the sent request, just made."""
        request = signer.request_id.sudo()
        signature = self.signature.decode()
        items = {
            key: dict(item, value=signature)
            if item["role_id"] == signer.role_id.id
            else item
            for key, item in request.signatory_data.items()
        }
        try:
            signer.sudo().action_sign(items)
        except ValidationError as error:
            raise UserError(
                self.env._(
                    "%(name)s could not be signed, no document was: %(error)s",
                    name=document.display_name,
                    error=error.args[0],
                )
            ) from error
