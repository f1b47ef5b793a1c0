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
# Where the convention's signatures stand, as the PFMP board groups them.
SIGNATURE_STATES = [
    ("none", "Not signed yet"),
    ("partly", "Partly signed"),
    ("signed", "Fully signed"),
    ("paper", "Signed on paper"),
]


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

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
        return self._fields[name].convert_to_cache(value, self) != self[name]

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
