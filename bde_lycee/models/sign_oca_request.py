from base64 import b64decode

from odoo import fields, models


class SignOcaRequest(models.Model):
    """A request tied to a BDE document (``record_ref``) follows it: the
    document hears of each signature and of the last one."""

    _inherit = "sign.oca.request"

    bde_sent_on = fields.Datetime(
        string="Sent on",
        readonly=True,
        copy=False,
        help="When the signatories were sent their links: reminders count from it.",
    )

    def action_send(self, sign_now=False, message=""):
        was_draft = self.state == "1_draft"
        result = super().action_send(sign_now=sign_now, message=message)
        if was_draft and self.state == "0_sent":
            self.bde_sent_on = fields.Datetime.now()
        return result

    def _bde_document(self):
        """The BDE document signed through this request, else an empty value."""
        self.ensure_one()
        record = self.sudo().record_ref
        if record and isinstance(record, self.pool["bde.sign.mixin"]):
            return record
        return None

    def _bde_signed_pdf(self):
        self.ensure_one()
        return b64decode(self.sudo().data)
