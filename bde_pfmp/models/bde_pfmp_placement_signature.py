from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .bde_pfmp_placement_rules import CREATE_STATES

# Signatories of the convention (circular n° 2016-053), in the order of the
# PDF's signature block; the legal guardian signs only for a minor.
SIGNATURE_FIELDS = [
    "date_signed_school",
    "date_signed_host",
    "date_signed_tutor",
    "date_signed_teacher",
    "date_signed_student",
    "date_signed_guardian",
]
# What a signed convention records of its signatures.
SIGNATURE_EVIDENCE_FIELDS = {*SIGNATURE_FIELDS, "signed_on_paper", "signed_scan"}
# The date each role of the online signature request writes when it signs
# (the roles' codes of bde_lycee's sign.oca.role data).
ROLE_DATE_FIELDS = {
    "head": "date_signed_school",
    "host": "date_signed_host",
    "tutor": "date_signed_tutor",
    "teacher": "date_signed_teacher",
    "student": "date_signed_student",
    "guardian": "date_signed_guardian",
}
# What the convention's PDF says: while it is out for signature, the placement
# keeps saying the same, or the parties would sign another text.
CONVENTION_CONTENT_FIELDS = {
    "student_id",
    "date_start",
    "date_end",
    "partner_id",
    "site_id",
    "tutor_id",
    "host_signatory_id",
    "teacher_id",
    "activities_planned",
    "skills_planned",
    "hours_per_day",
    "hours_per_week",
    "night_work",
    "regulated_work",
    "derogation_ref",
    "transport_terms",
    "meal_terms",
    "lodging_terms",
    "insurance_terms",
}
# Where the convention's signatures stand, as the PFMP board groups them.
SIGNATURE_STATES = [
    ("none", "Not signed yet"),
    ("partly", "Partly signed"),
    ("signed", "Fully signed"),
    ("paper", "Signed on paper"),
]


class BdePfmpPlacement(models.Model):
    _name = "bde.pfmp.placement"
    _inherit = ["bde.pfmp.placement", "bde.sign.mixin"]

    host_signatory_id = fields.Many2one(
        "res.partner",
        string="Host's representative",
        compute="_compute_host_signatory_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', False), ('id', 'child_of', partner_id)]",
        help="Person who signs the convention for the host (its manager or "
        "someone they delegate); the tutor unless another is named.",
    )
    # Convention signatures
    date_signed_school = fields.Date(
        string="Signed by the head of school",
        tracking=True,
        copy=False,
        help="Date the head of school signed the convention for the lycée.",
    )
    date_signed_host = fields.Date(
        string="Signed by the host",
        tracking=True,
        copy=False,
        help="Date the host's representative signed the convention.",
    )
    date_signed_tutor = fields.Date(
        string="Signed by the tutor", tracking=True, copy=False
    )
    date_signed_teacher = fields.Date(
        string="Signed by the referent teacher", tracking=True, copy=False
    )
    date_signed_student = fields.Date(
        string="Signed by the student", tracking=True, copy=False
    )
    date_signed_guardian = fields.Date(
        string="Signed by the legal guardian",
        tracking=True,
        copy=False,
        help="Needed only when the student is a minor at the start.",
    )
    signed_on_paper = fields.Boolean(
        string="Signed on paper",
        tracking=True,
        copy=False,
        help="The convention was signed by hand by every party: attach the scan "
        "of the signed copy instead of entering each signature date.",
    )
    signed_scan = fields.Binary(
        string="Scan of the signed convention", attachment=True, copy=False
    )
    signed_scan_filename = fields.Char(string="Scan file name", copy=False)
    signature_count = fields.Integer(
        string="Signatures",
        compute="_compute_signature_count",
        store=True,
        help="Signatures dated among those the convention needs.",
    )
    signature_needed = fields.Integer(
        string="Signatures needed",
        compute="_compute_signature_count",
        store=True,
    )
    signature_progress = fields.Float(
        string="Signature progress",
        compute="_compute_signature_count",
        store=True,
        aggregator="avg",
        help="Share of the needed signatures that are dated, in percent; 100 "
        "when the convention was signed on paper and its scan is attached.",
    )
    signature_state = fields.Selection(
        SIGNATURE_STATES,
        string="Signature state",
        compute="_compute_signature_count",
        store=True,
        help="Not signed yet: no signature dated; partly signed: some of the "
        "needed signatures dated; fully signed: every needed signature dated; "
        "signed on paper: ticked as signed by hand, its scan attached.",
    )

    @api.depends("partner_id", "tutor_id")
    def _compute_host_signatory_id(self):
        for placement in self:
            host = placement.partner_id.commercial_partner_id
            signatory = placement.host_signatory_id
            if not host or signatory.commercial_partner_id != host:
                placement.host_signatory_id = placement.tutor_id

    @api.depends(*SIGNATURE_FIELDS, "is_minor", "signed_on_paper", "signed_scan")
    def _compute_signature_count(self):
        for placement in self:
            needed = placement._get_needed_signature_fields()
            signed = [name for name in needed if placement[name]]
            placement.signature_needed = len(needed)
            placement.signature_count = len(signed)
            if placement._is_signed_on_paper():
                placement.signature_progress = 100.0
                placement.signature_state = "paper"
                continue
            placement.signature_progress = 100.0 * len(signed) / len(needed)
            if not signed:
                placement.signature_state = "none"
            elif len(signed) < len(needed):
                placement.signature_state = "partly"
            else:
                placement.signature_state = "signed"

    @api.constrains("signed_on_paper", "signed_scan")
    def _check_signed_scan(self):
        for placement in self:
            if placement.signed_on_paper and not placement.signed_scan:
                raise ValidationError(
                    self.env._(
                        "Attach the scan of the convention of %(student)s signed "
                        "on paper.",
                        student=placement.student_id.name,
                    )
                )

    def _check_signatures_frozen(self, vals):
        """Once the convention is signed, what each party signed, and when,
        is part of it: a date typed later would antedate a signature. The
        same values written again (an import of the list) change nothing."""
        names = SIGNATURE_EVIDENCE_FIELDS & vals.keys()
        if not names:
            return
        signed = self.filtered(
            lambda placement: (
                placement.state not in CREATE_STATES
                and any(placement._bde_changes(name, vals[name]) for name in names)
            )
        )
        if signed:
            raise UserError(
                self.env._(
                    "The convention of %(students)s is signed: its signatures "
                    "no longer change.",
                    students=", ".join(signed.student_id.mapped("name")),
                )
            )

    def _bde_changes(self, name, value):
        if name == "signed_scan":
            return True
        field = self._fields[name]
        new_value = field.convert_to_record(field.convert_to_cache(value, self), self)
        return new_value != self[name]

    def _get_needed_signature_fields(self):
        self.ensure_one()
        if self.is_minor:
            return list(SIGNATURE_FIELDS)
        return [name for name in SIGNATURE_FIELDS if name != "date_signed_guardian"]

    def _is_signed_on_paper(self):
        self.ensure_one()
        return bool(self.signed_on_paper and self.signed_scan)

    def _get_missing_signatories(self):
        """Labels of the parties whose signature date is still missing."""
        self.ensure_one()
        if self._is_signed_on_paper():
            return []
        return [
            self._fields[name]._description_string(self.env)
            for name in self._get_needed_signature_fields()
            if not self[name]
        ]

    def _check_signatures(self):
        for placement in self:
            missing = placement._get_missing_signatories()
            if missing:
                raise UserError(
                    self.env._(
                        "The convention of %(student)s is not signed by every "
                        "party yet. Missing: %(missing)s. Enter their signature "
                        "dates, or tick “Signed on paper” and attach the scan.",
                        student=placement.student_id.name,
                        missing=", ".join(missing),
                    )
                )

    # Online signature (bde.sign.mixin): one request on the convention's PDF
    def _bde_sign_report_xmlid(self):
        return "bde_pfmp.action_report_bde_pfmp_convention"

    def _bde_sign_signatories(self):
        """The national model's signature block: head of school (or the
        DDFPT by delegation), host's representative, tutor, referent teacher,
        student, and the legal guardian of a minor."""
        self.ensure_one()
        head = self.company_id._bde_school_signatory(delegable=True)
        signatories = [
            ("head", head.partner_id),
            ("host", self.host_signatory_id),
            ("tutor", self.tutor_id),
            ("teacher", self.teacher_id.partner_id),
            ("student", self.student_id),
        ]
        if self.is_minor:
            signatories.append(("guardian", self.student_id.bde_legal_guardian_id))
        return signatories

    def _bde_sign_check_ready(self):
        """What the convention needs before it goes out for signature: the
        pedagogical annex validated, its parties named, and the signed step's
        checks that do not depend on signatures; then every signatory
        reachable by e-mail (super)."""
        self.ensure_one()
        self._check_state_from({"to_sign"})
        self._bde_check_sign_content()
        self._check_learning_agreement()
        super()._bde_sign_check_ready()

    def _bde_check_sign_content(self):
        self.ensure_one()
        student = self.student_id.name
        if self.pedagogy_state != "validated":
            raise UserError(
                self.env._(
                    "The pedagogical annex of %(student)s's placement is not "
                    "validated by the referent teacher yet.",
                    student=student,
                )
            )
        if self._is_signed_on_paper():
            raise UserError(
                self.env._(
                    "The convention of %(student)s is signed on paper: record it "
                    "as signed instead.",
                    student=student,
                )
            )
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("partner_id", "host_signatory_id", "tutor_id", "teacher_id")
            if not self[name]
        ]
        if self.is_minor and not self.student_id.bde_legal_guardian_id:
            missing.append(self.env._("the legal guardian of the minor student"))
        if missing:
            raise UserError(
                self.env._(
                    "The convention of %(student)s cannot be sent for signature: "
                    "name %(missing)s first.",
                    student=student,
                    missing=", ".join(missing),
                )
            )
        if self._needs_derogation():
            raise UserError(
                self.env._(
                    "%(student)s is a minor doing regulated work: enter the "
                    "reference of the derogation before the convention is sent "
                    "for signature.",
                    student=student,
                )
            )

    def action_bde_send_for_signature(self):
        res = super().action_bde_send_for_signature()
        # The request is the source of the signatures from now on: dates
        # typed before it no longer count.
        self._bde_clear_signature_dates()
        return res

    def action_bde_cancel_signature(self):
        res = super().action_bde_cancel_signature()
        # A new request is signed by every party again.
        self._bde_clear_signature_dates()
        return res

    def _bde_clear_signature_dates(self):
        dated = self.filtered(
            lambda placement: any(placement[name] for name in SIGNATURE_FIELDS)
        )
        dated._write_trusted(dict.fromkeys(SIGNATURE_FIELDS, False))

    def _bde_sign_on_signer_signed(self, signer):
        super()._bde_sign_on_signer_signed(signer)
        name = ROLE_DATE_FIELDS.get(signer.role_id.bde_code)
        if name:
            self._write_trusted({name: signer._bde_signed_day()})

    def _bde_sign_on_request_signed(self):
        """The last signature is in: the convention is signed, through the
        checks of the signed step."""
        super()._bde_sign_on_request_signed()
        self._bde_signed_step()
        self.message_post(
            body=self.env._("The convention was signed online by every party."),
            subtype_xmlid="mail.mt_note",
        )

    def _bde_signed_step(self):
        """The signed step's own checks, then the state: the trusted path of
        ``action_sign`` and of the online request's last signature."""
        self._check_state_from({"to_sign"})
        self._check_learning_agreement()
        self._check_signatures()
        self._write_trusted({"state": "signed"})

    def _check_request_frozen(self, vals):
        """While the convention is out for signature the request is the
        source: no typed signature date, no paper, and no change of what the
        PDF says (cancel the request first). Once signed, the signatures stay
        as the request gave them."""
        frozen = {
            "0_sent": SIGNATURE_EVIDENCE_FIELDS | CONVENTION_CONTENT_FIELDS,
            "2_signed": SIGNATURE_EVIDENCE_FIELDS,
        }
        if not (frozen["0_sent"] & vals.keys()):
            return
        sent = self.filtered(
            lambda placement: any(
                placement._bde_changes(name, vals[name])
                for name in frozen.get(placement.sign_request_id.state, set())
                & vals.keys()
            )
        )
        if sent:
            raise UserError(
                self.env._(
                    "The convention of %(students)s is signed online: its "
                    "signatures come from the signature request, and what it "
                    "says no longer changes while the request is out for "
                    "signature. Cancel the signature request first.",
                    students=", ".join(sent.student_id.mapped("name")),
                )
            )
