from base64 import b64encode

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sign_anchor import add_signature_page, field_at, find_anchors

SIGN_ACTIVITY_TYPE = "bde_lycee.mail_activity_type_bde_sign"
OFFICER_GROUP = "bde_lycee.group_bde_officer"


class BdeSignMixin(models.AbstractModel):
    """A document of the BDE signed online by its parties with sign_oca: one
    request on the document's PDF, a signer per role, each signature field
    where the report's anchor of the role stands.

    The model using it also inherits mail.thread and mail.activity.mixin, and
    implements ``_bde_sign_report_xmlid``, ``_bde_sign_signatories``,
    ``_bde_sign_check_ready`` (calling super), ``_bde_sign_on_signer_signed``
    and ``_bde_sign_on_request_signed``."""

    _name = "bde.sign.mixin"
    _description = "Document signed online by its parties"

    sign_request_id = fields.Many2one(
        "sign.oca.request",
        string="Signature request",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    sign_request_state = fields.Selection(
        related="sign_request_id.state", string="Online signature"
    )
    sign_signer_ids = fields.One2many(
        related="sign_request_id.signer_ids", string="Signatories", readonly=True
    )
    bde_to_sign_by_me = fields.Boolean(
        string="To sign by me",
        compute="_compute_bde_to_sign_by_me",
        search="_search_bde_to_sign_by_me",
    )

    @api.depends_context("uid")
    @api.depends("sign_request_id.state", "sign_request_id.signer_ids.signed_on")
    def _compute_bde_to_sign_by_me(self):
        partner = self.env.user.partner_id
        for record in self:
            record.bde_to_sign_by_me = bool(record._bde_sign_pending_signers(partner))

    def _search_bde_to_sign_by_me(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on the documents to sign."))
        # sudo: whether a document waits for the user is read on its request,
        # whatever the user's rights on sign_oca's records.
        requests = (
            self.env["sign.oca.request"]
            .sudo()
            ._search(
                [
                    ("state", "=", "0_sent"),
                    (
                        "signer_ids",
                        "any",
                        [
                            ("partner_id", "=", self.env.user.partner_id.id),
                            ("signed_on", "=", False),
                        ],
                    ),
                ]
            )
        )
        positive = (operator == "=") == bool(value)
        return [("sign_request_id", "in" if positive else "not in", requests)]

    # To implement by each document

    def _bde_sign_report_xmlid(self):
        """The xmlid of the ir.actions.report whose PDF the parties sign."""
        raise NotImplementedError

    def _bde_sign_signatories(self):
        """``[(role_code, res.partner)]`` of one document, in the order of its
        signature block."""
        raise NotImplementedError

    def _bde_sign_check_ready(self):
        """Raise a UserError naming what the document misses to be sent for
        signature; models add their own checks and call super."""
        self.ensure_one()
        if self.sign_request_id.state in ("0_sent", "2_signed"):
            raise UserError(
                self.env._(
                    "%(name)s was already sent for signature.", name=self.display_name
                )
            )
        roles = self.env["sign.oca.role"]
        for code, partner in self._bde_sign_signatories():
            role = roles._bde_get(code)
            if not partner:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be sent for signature: the signatory "
                        "%(role)s is missing.",
                        name=self.display_name,
                        role=role.name,
                    )
                )
            if not partner.email:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be sent for signature: %(partner)s "
                        "(%(role)s) has no e-mail address to receive the link.",
                        name=self.display_name,
                        partner=partner.display_name,
                        role=role.name,
                    )
                )

    def _bde_sign_on_signer_signed(self, signer):
        """Hook: ``signer`` signed this document (online or on paper)."""

    def _bde_sign_on_request_signed(self):
        """Hook: the last party signed; the document moves its own state."""

    # Provided actions

    def action_bde_send_for_signature(self):
        self._bde_sign_check_officer()
        for record in self:
            record._bde_sign_check_ready()
        for record in self:
            record._bde_sign_send()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s document(s) sent for signature: each signatory "
                    "receives their link by e-mail.",
                    count=len(self),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_bde_sign(self):
        """Open the signing wizard on the documents that wait for the user."""
        records = self.filtered("bde_to_sign_by_me")
        if not records:
            raise UserError(
                self.env._("None of these documents waits for your signature.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign"),
            "res_model": "bde.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": records.ids,
            },
        }

    def action_bde_cancel_signature(self):
        self._bde_sign_check_officer()
        for record in self:
            request = record.sudo().sign_request_id
            if request.state != "0_sent":
                raise UserError(
                    self.env._(
                        "%(name)s has no signature request under way.",
                        name=record.display_name,
                    )
                )
            request.cancel()
            record.sudo().activity_unlink([SIGN_ACTIVITY_TYPE])
            record.message_post(body=self.env._("Signature request cancelled."))

    # Machinery

    def _bde_sign_check_officer(self):
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only the BDE manager sends documents for signature.")
            )

    def _bde_sign_pending_signers(self, partner):
        """The signers of ``partner`` who have not signed this document's sent
        request."""
        self.ensure_one()
        request = self.sudo().sign_request_id
        if request.state != "0_sent":
            return self.env["sign.oca.request.signer"]
        return request.signer_ids.filtered(
            lambda s: not s.signed_on and s.partner_id == partner
        )

    def _bde_sign_lang(self):
        return self.company_id.partner_id.lang or "fr_FR"

    def _bde_sign_render_pdf(self):
        """The document's PDF, always rendered (also in tests)."""
        self.ensure_one()
        report = self.env.ref(self._bde_sign_report_xmlid())
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang=self._bde_sign_lang())
            ._render_qweb_pdf(report, self.ids)
        )
        return pdf

    def _bde_sign_place_fields(self, pdf, roles):
        """Place a signature field per role at its anchor in ``pdf``; roles
        without an anchor get theirs on an appended page "Signatures".
        Return the PDF and ``{role: box}``."""
        anchors = find_anchors(pdf, [role.bde_code for role in roles])
        boxes = {
            role: field_at(anchors[role.bde_code])
            for role in roles
            if role.bde_code in anchors
        }
        missing = [role for role in roles if role not in boxes]
        if missing:
            title = self.env._("Signatures")
            pdf, extra = add_signature_page(pdf, title, [role.name for role in missing])
            boxes.update(zip(missing, extra, strict=True))
        return pdf, boxes

    def _bde_sign_send(self):
        self.ensure_one()
        Role = self.env["sign.oca.role"]
        signatories = [
            (Role._bde_get(code), partner)
            for code, partner in self._bde_sign_signatories()
        ]
        pdf, boxes = self._bde_sign_place_fields(
            self._bde_sign_render_pdf(), [role for role, _partner in signatories]
        )
        field = self.env.ref("sign_oca.sign_field_signature").sudo()
        items = {}
        for index, (role, _partner) in enumerate(signatories, start=1):
            items[str(index)] = dict(
                boxes[role],
                id=index,
                field_id=field.id,
                field_type=field.field_type,
                name=field.name,
                role_id=role.id,
                required=True,
                value=False,
                default_value=False,
                placeholder="",
            )
        # sudo: the BDE manager's check above is the rule; sign_oca's own
        # groups would also let them alter signers and signatures.
        request = (
            self.env["sign.oca.request"]
            .sudo()
            .create(
                {
                    "name": self.display_name,
                    "data": b64encode(pdf),
                    "filename": f"{self.display_name}.pdf",
                    "record_ref": f"{self._name},{self.id}",
                    "company_id": self.company_id.id,
                    "user_id": self.env.uid,
                    "signatory_data": items,
                    "signer_ids": [
                        Command.create({"partner_id": partner.id, "role_id": role.id})
                        for role, partner in signatories
                    ],
                }
            )
        )
        self.sudo().sign_request_id = request
        request.with_context(lang=self._bde_sign_lang()).action_send()
        self._bde_sign_schedule_activities(request)
        self.message_post(
            body=self.env._(
                "Sent for signature to %(names)s.",
                names=", ".join(request.signer_ids.mapped("partner_id.name")),
            )
        )

    def _bde_sign_schedule_activities(self, request):
        """An activity "Sign" for each signer who works in the backend."""
        for signer in request.signer_ids:
            user = signer.partner_id.user_ids.filtered(lambda u: not u.share)[:1]
            if user:
                self.sudo().activity_schedule(
                    SIGN_ACTIVITY_TYPE,
                    user_id=user.id,
                    note=self.env._("Sign as %(role)s.", role=signer.role_id.name),
                )

    def _bde_sign_attach_signed(self):
        """Attach the signed PDF and sign_oca's signature certificate to the
        document and post them in its chatter."""
        self.ensure_one()
        request = self.sudo().sign_request_id
        certificate, _format = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True, lang=self._bde_sign_lang())
            ._render_qweb_pdf(
                "sign_oca.action_report_signature_certificate", request.ids
            )
        )
        name = self.display_name.replace("/", "-")
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("%(name)s - signed.pdf", name=name),
                        "raw": request._bde_signed_pdf(),
                        "res_model": self._name,
                        "res_id": self.id,
                        "mimetype": "application/pdf",
                    },
                    {
                        "name": self.env._(
                            "%(name)s - signature certificate.pdf", name=name
                        ),
                        "raw": certificate,
                        "res_model": self._name,
                        "res_id": self.id,
                        "mimetype": "application/pdf",
                    },
                ]
            )
        )
        self.sudo().message_post(
            body=self.env._(
                "Signed by every party: the signed document and its signature "
                "certificate."
            ),
            attachment_ids=attachments.ids,
        )
        return attachments
