from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from .bde_sign_mixin import SIGN_ACTIVITY_TYPE

DEFAULT_TZ = "Europe/Paris"


class SignOcaRequestSigner(models.Model):
    """A party of a BDE document: signs online (sign_oca's link or the BDE's
    signing wizard) or on paper, and is reminded until they sign."""

    _inherit = "sign.oca.request.signer"

    bde_signed_on_paper = fields.Boolean(
        string="On paper",
        readonly=True,
        copy=False,
        help="This party signed the document on paper; its scan is attached to "
        "the document.",
    )
    bde_paper_scan = fields.Binary(
        string="Paper scan", attachment=True, readonly=True, copy=False
    )
    bde_last_reminder_date = fields.Date(
        string="Last reminder", readonly=True, copy=False
    )

    def action_sign(self, items, access_token=False, latitude=False, longitude=False):
        result = super().action_sign(
            items, access_token=access_token, latitude=latitude, longitude=longitude
        )
        self._bde_after_signature()
        return result

    def action_bde_open_paper_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Signed on paper"),
            "res_model": "bde.sign.paper.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_signer_id": self.id},
        }

    def _bde_after_signature(self):
        """The document's hooks once this signer signed, then once the last
        one did. sudo: external signers sign as the public user."""
        self.ensure_one()
        record = self.request_id._bde_document()
        if record is None:
            return
        record = record.sudo()
        self._bde_done_activity(record)
        record._bde_sign_on_signer_signed(self.sudo())
        if self.request_id.state == "2_signed":
            record._bde_sign_attach_signed()
            record._bde_sign_on_request_signed()

    def _bde_done_activity(self, record):
        activity_type = self.env.ref(SIGN_ACTIVITY_TYPE)
        activities = record.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == activity_type
                and a.user_id in self.partner_id.user_ids
            )
        )
        activities.action_feedback(
            feedback=self.env._("Signed as %(role)s.", role=self.role_id.name)
        )

    def _bde_signed_day(self):
        """The day of the signature in the lycée's time zone."""
        self.ensure_one()
        if not self.signed_on:
            return False
        tz = pytz.timezone(self.request_id.company_id.partner_id.tz or DEFAULT_TZ)
        return pytz.utc.localize(self.signed_on).astimezone(tz).date()

    def _bde_sign_on_paper(self, day, scan, filename):
        """Record that this party signed on paper on ``day``, its scan
        attached to the document; the document's hooks follow as online."""
        self.ensure_one()
        request = self.request_id
        tz = pytz.timezone(request.company_id.partner_id.tz or DEFAULT_TZ)
        signed_on = tz.localize(datetime.combine(day, time(12))).astimezone(pytz.utc)
        self.write(
            {
                "signed_on": signed_on.replace(tzinfo=None),
                "bde_signed_on_paper": True,
                "bde_paper_scan": scan,
            }
        )
        record = request._bde_document()
        if record is not None:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": filename,
                    "datas": scan,
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            record.message_post(
                body=self.env._(
                    "%(partner)s (%(role)s) signed on paper on %(day)s.",
                    partner=self.partner_id.name,
                    role=self.role_id.name,
                    day=day,
                ),
                attachment_ids=attachment.ids,
            )
        self._set_action_log("sign")
        request._check_signed()
        self._bde_after_signature()

    @api.model
    def _cron_bde_sign_reminder(self):
        """Daily: each party who has not signed a request sent more than the
        lycée's days ago, and was not reminded within these days, gets their
        link again by e-mail."""
        template = self.env.ref("bde_lycee.mail_template_bde_sign_reminder")
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        signers = self.search(
            [
                ("signed_on", "=", False),
                ("request_id.state", "=", "0_sent"),
                ("request_id.bde_sent_on", "!=", False),
            ]
        )
        for signer in signers:
            days = signer.request_id.company_id.bde_sign_reminder_days
            if days <= 0 or signer.request_id.bde_sent_on > now - timedelta(days=days):
                continue
            if (
                signer.bde_last_reminder_date
                and signer.bde_last_reminder_date > today - timedelta(days=days)
            ):
                continue
            signer._portal_ensure_token()
            template.send_mail(signer.id)
            signer.bde_last_reminder_date = today
