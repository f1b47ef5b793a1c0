from odoo import models
from odoo.exceptions import UserError

# The convention's date each party's signature writes, by role code.
SIGNED_DATE_FIELDS = {
    "head": "date_signed_lycee",
    "partner": "date_signed_partner",
    "academy": "date_visa_academy",
}
# What a sent request was made of: it changes only once the request is
# cancelled, so that nobody signs another text than the one they read.
REQUEST_TERMS = {
    "partner_contact_id",
    "signatory_lycee_id",
    "formation_ids",
    "date_start",
    "date_end",
    "template_id",
    "signed_on_paper",
    *SIGNED_DATE_FIELDS.values(),
}


class BdePartnershipConvention(models.Model):
    """The partnership convention signed online by the head of school, the
    partner's representative and, when its template asks, the académie."""

    _name = "bde.partnership.convention"
    _inherit = ["bde.partnership.convention", "bde.sign.mixin"]

    def _bde_sign_report_xmlid(self):
        return "bde_lycee.action_report_bde_partnership_convention"

    def _bde_sign_signatories(self):
        self.ensure_one()
        signatories = [
            ("head", self.signatory_lycee_id.partner_id),
            ("partner", self.partner_contact_id),
        ]
        if self.academy_visa_required:
            signatories.append(("academy", self.template_id.academy_visa_partner_id))
        return signatories

    def _bde_sign_check_ready(self):
        # The convention's own rules first: their messages name what the
        # convention misses in its own words.
        self.ensure_one()
        self._check_state(["negotiation"], self.env._("send for signature"))
        if self.signed_on_paper:
            raise UserError(
                self.env._(
                    "The convention %(name)s is signed on paper: untick “Signed "
                    "on paper” to send it for signature online.",
                    name=self.display_name,
                )
            )
        self._check_clauses_for_signature()
        self._check_parties_in_force()
        if self.academy_visa_required and not self.template_id.academy_visa_partner_id:
            raise UserError(
                self.env._(
                    "The template %(template)s asks for the académie's visa: set "
                    "the académie's signatory on it.",
                    template=self.template_id.display_name,
                )
            )
        super()._bde_sign_check_ready()

    def _bde_sign_on_signer_signed(self, signer):
        fname = SIGNED_DATE_FIELDS.get(signer.role_id.bde_code)
        if fname:
            self._write_trusted({fname: signer._bde_signed_day()})

    def _bde_sign_on_request_signed(self):
        # The last signer may be the partner, signing as the public user: the
        # convention's own checks decide, not the signer's rights.
        self.sudo()._put_signed()

    def _check_write_rules(self, vals):
        super()._check_write_rules(vals)
        if self.env.su:
            return
        changed = REQUEST_TERMS & vals.keys()
        sent = self.filtered(lambda c: c.sign_request_state == "0_sent")
        if changed and sent:
            raise UserError(
                self.env._(
                    "The convention %(name)s is out for signature: cancel the "
                    "signature request to change %(fields)s.",
                    name=sent[0].display_name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(changed)
                    ),
                )
            )

    def action_reset_draft(self):
        # Back to draft, the terms may change again: a request under way is
        # void, and a signed one (its PDF stays attached) no longer the
        # convention's, so that the new terms are sent for signature again.
        self.filtered(
            lambda c: c.sign_request_state == "0_sent"
        ).action_bde_cancel_signature()
        result = super().action_reset_draft()
        self.filtered("sign_request_id")._write_trusted({"sign_request_id": False})
        return result

    def action_sign(self):
        """Dates typed or a scan: not while the request online is the
        source of the signatures."""
        sent = self.filtered(lambda c: c.sign_request_state == "0_sent")
        if sent:
            raise UserError(
                self.env._(
                    "The convention %(name)s is out for signature online: its "
                    "signatures come from the request, or cancel it first.",
                    name=sent[0].display_name,
                )
            )
        return super().action_sign()
