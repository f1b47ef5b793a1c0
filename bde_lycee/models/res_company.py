import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

UAI_RE = re.compile(r"^(\d{7})([A-Z])$")
# The check letter is this alphabet indexed by the 7 digits modulo 23; I, O
# and Q are left out so that the letter never reads as a digit.
UAI_CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# How the BDE manager is employed (circular, section 3).
BDE_MANAGER_STATUSES = [
    ("teacher_discharge", "Teacher with a discharge"),
    ("pacte", "Pacte mission"),
    ("administrative", "Administrative post"),
    ("fam_gip", "Contract via the FAM/GIP"),
    ("other", "Other"),
]


def uai_check_letter(digits):
    """Return the check letter of the 7 digits of a UAI."""
    return UAI_CHECK_LETTERS[int(digits) % 23]


def is_valid_uai(uai):
    match = UAI_RE.match(uai or "")
    return bool(match) and uai_check_letter(match[1]) == match[2]


class ResCompany(models.Model):
    """The lycée and its Bureau des entreprises, made visible as the circular
    asks (section 2): place, opening hours, manager, phone, functional e-mail."""

    _inherit = "res.company"

    bde_uai = fields.Char(
        string="UAI",
        size=8,
        help="Code of the school in the national directory: 7 digits and a check "
        "letter, e.g. 0750655E. Companies give it on SOLTéA to allocate their "
        "apprenticeship tax.",
    )
    bde_location = fields.Char(
        string="BDE office",
        help="Where the Bureau des entreprises stands in the lycée, e.g. "
        "Building A, ground floor, next to the reception.",
    )
    bde_opening_hours = fields.Text(string="BDE opening hours")
    bde_phone = fields.Char(string="BDE phone")
    bde_email = fields.Char(
        string="BDE e-mail",
        help="Functional address of the BDE, e.g. bde-LP0750655E@ac-paris.fr.",
    )
    bde_manager_id = fields.Many2one(
        "res.users",
        string="BDE manager",
        help="Responsable du Bureau des entreprises, named on the public page.",
    )
    # The lycée is the controller of the personal data the BDE processes: its
    # public pages say so, with whom to write to (RGPD, articles 13 and 14).
    bde_head_of_school = fields.Char(
        string="Head of school",
        help="Name of the head of school (proviseur), who represents the lycée "
        "as controller of the personal data, shown on the public pages.",
    )
    # Who signs for the lycée (items of the signature circuit, bde.sign.mixin).
    bde_head_of_school_user_id = fields.Many2one(
        "res.users",
        string="Head of school (signatory)",
        domain="[('share', '=', False)]",
        help="The head of school (proviseur) who signs the lycée's conventions.",
    )
    bde_ddfpt_user_id = fields.Many2one(
        "res.users",
        string="DDFPT",
        domain="[('share', '=', False)]",
        help="Directeur délégué aux formations professionnelles et technologiques.",
    )
    bde_sign_by_ddfpt = fields.Boolean(
        string="The DDFPT signs PFMP conventions",
        help="The head of school delegated the signature of PFMP conventions "
        "to the DDFPT.",
    )
    bde_board_deliberation = fields.Char(
        string="Board authorisation",
        help="The deliberation of the conseil d'administration authorising the "
        "head of school to sign conventions, printed where the model requires "
        "it, e.g. Délibération n° 2025-14 du 12 juin 2025.",
    )
    bde_sign_reminder_days = fields.Integer(
        string="Remind signatories after (days)",
        default=7,
        help="A signatory who has not signed gets their link again after these "
        "days, and again every as many days. 0: no reminder.",
    )
    bde_dpo_email = fields.Char(
        string="Data protection contact",
        help="Where people write to exercise their rights on their personal "
        "data, e.g. the académie's data protection officer (dpd@ac-lyon.fr). "
        "Empty: the BDE e-mail, else the lycée's e-mail.",
    )
    bde_network_ids = fields.Many2many(
        "bde.network",
        relation="bde_network_res_company_rel",
        column1="company_id",
        column2="network_id",
        string="Networks",
    )

    # The BDE's organisation and resources, reported yearly to the académie
    # (circular, sections 3 and 5).
    bde_manager_time = fields.Float(
        string="BDE manager's time (hours a week)",
        help="Hours a week the BDE manager gives to the bureau.",
    )
    bde_manager_status = fields.Selection(
        BDE_MANAGER_STATUSES,
        string="BDE manager's status",
    )
    bde_pacte_mission_count = fields.Integer(
        string="Pacte missions 'school-company link'",
        help="Pacte missions of the lycée's teachers for the link between the "
        "school and the companies.",
    )
    bde_pooled_with = fields.Char(
        string="Pooled with",
        help="Schools the BDE is shared with, e.g. another lycée or a CFA of "
        "the Éducation nationale.",
    )

    _sql_constraints = [
        ("bde_uai_uniq", "unique (bde_uai)", "Another lycée already has this UAI."),
    ]

    @api.constrains("bde_uai")
    def _check_bde_uai(self):
        for company in self.filtered("bde_uai"):
            if not is_valid_uai(company.bde_uai):
                raise ValidationError(
                    self.env._(
                        "The UAI %(uai)s is not valid: it must be 7 digits followed "
                        "by their check letter (for example 0750655E).",
                        uai=company.bde_uai,
                    )
                )

    @api.constrains("bde_head_of_school_user_id", "bde_ddfpt_user_id")
    def _check_bde_signatories(self):
        for company in self:
            for user in company.bde_head_of_school_user_id | company.bde_ddfpt_user_id:
                if not user.has_group("bde_lycee.group_bde_manager"):
                    raise ValidationError(
                        self.env._(
                            "%(user)s signs for %(lycee)s: give them the group "
                            "Head of school / DDFPT first.",
                            user=user.name,
                            lycee=company.name,
                        )
                    )

    @api.constrains("bde_sign_reminder_days")
    def _check_bde_sign_reminder_days(self):
        if any(company.bde_sign_reminder_days < 0 for company in self):
            raise ValidationError(
                self.env._("The days before reminding signatories cannot be negative.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_bde_uai(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_bde_uai(vals)
        return super().write(vals)

    @api.model
    def _normalize_bde_uai(self, vals):
        # UAIs are often typed in lower case or with spaces in SIECLE exports.
        if vals.get("bde_uai"):
            vals["bde_uai"] = vals["bde_uai"].replace(" ", "").upper()

    def _bde_privacy_contact_email(self):
        """The address the public pages give for data protection requests."""
        self.ensure_one()
        return self.bde_dpo_email or self.bde_email or self.email or ""

    def _bde_officer_users(self):
        """The BDE team of this lycée (the BDE managers, heads of school and
        DDFPTs among them), to address its alerts and activities. sudo: who
        they are is read whatever the user's rights on users."""
        self.ensure_one()
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref("bde_lycee.group_bde_officer").id),
                    ("share", "=", False),
                    ("company_ids", "in", self.id),
                ]
            )
        )

    def _bde_school_signatory(self, delegable=False):
        """The user who signs for the lycée: the DDFPT for a ``delegable``
        document when the head of school delegated it, else the head of school."""
        self.ensure_one()
        if delegable and self.bde_sign_by_ddfpt:
            signatory = self.bde_ddfpt_user_id
            role = self.env._("the DDFPT")
        else:
            signatory = self.bde_head_of_school_user_id
            role = self.env._("the head of school")
        if not signatory:
            raise UserError(
                self.env._(
                    "Set %(role)s who signs for %(lycee)s in the lycée's settings "
                    "(Bureau des entreprises tab).",
                    role=role,
                    lycee=self.name,
                )
            )
        return signatory

    def _bde_head_of_school_name(self):
        self.ensure_one()
        return self.bde_head_of_school_user_id.name or self.bde_head_of_school or ""
