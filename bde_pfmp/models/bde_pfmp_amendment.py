from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.bde_lycee.models.bde_sign_mixin import SIGN_ACTIVITY_TYPE
from odoo.addons.bde_lycee.school_year import school_year_bounds

from .bde_pfmp_placement_minor import ADULT_AGE, MINOR_MAX_HOURS_PER_WEEK

# What an amendment changes on the placement, in the order of its article.
AMENDED_FIELDS = ["date_start", "date_end", "tutor_id", "hours_per_week", "site_id"]
NEW_FIELDS = [f"{name}_new" for name in AMENDED_FIELDS]
OLD_FIELDS = [f"{name}_old" for name in AMENDED_FIELDS]
# A change of dates or hours concerns the tutor and the referent teacher too.
SCHEDULE_FIELDS = {"date_start", "date_end", "hours_per_week"}
# Placement states in which the convention is signed and the period not over:
# the only ones an amendment changes.
AMENDABLE_STATES = {"signed", "in_progress"}
OPEN_STATES = {"draft", "to_sign"}
# Set at creation or by the steps (the signature request by its sending),
# never by a plain write.
FIXED_FIELDS = {"placement_id", "sequence", "state", "sign_request_id", *OLD_FIELDS}
STATES = [
    ("draft", "Draft"),
    ("to_sign", "To sign"),
    ("signed", "Signed"),
    ("cancelled", "Cancelled"),
]


class BdePfmpAmendment(models.Model):
    """An amendment (avenant) to a signed PFMP convention: a change of its
    dates, tutor, weekly hours or site, signed by the parties it concerns.
    Once signed, the new values are written on the placement, which keeps
    the list of its amendments and their trace in its chatter."""

    _name = "bde.pfmp.amendment"
    _description = "PFMP convention amendment"
    _inherit = ["bde.sign.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "placement_id, sequence desc, id desc"
    _check_company_auto = True

    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', 'in', ('signed', 'in_progress'))]",
    )
    company_id = fields.Many2one(
        related="placement_id.company_id", string="Lycée", store=True, index=True
    )
    student_id = fields.Many2one(related="placement_id.student_id")
    partner_id = fields.Many2one(related="placement_id.partner_id", string="Host")
    sequence = fields.Integer(
        string="Number",
        readonly=True,
        copy=False,
        help="Number of the amendment among those of its placement.",
    )
    name = fields.Char(compute="_compute_name", store=True)
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    # The convention's values when the amendment was made: the placement is
    # set once, so they never change afterwards.
    date_start_old = fields.Date(
        string="Former start date",
        compute="_compute_old_values",
        store=True,
        precompute=True,
    )
    date_end_old = fields.Date(
        string="Former end date",
        compute="_compute_old_values",
        store=True,
        precompute=True,
    )
    tutor_id_old = fields.Many2one(
        "res.partner",
        string="Former tutor",
        compute="_compute_old_values",
        store=True,
        precompute=True,
    )
    hours_per_week_old = fields.Float(
        string="Former hours a week",
        compute="_compute_old_values",
        store=True,
        precompute=True,
    )
    site_id_old = fields.Many2one(
        "res.partner",
        string="Former site",
        compute="_compute_old_values",
        store=True,
        precompute=True,
    )
    # The amended values: the current ones until changed
    date_start_new = fields.Date(
        string="New start date",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_end_new = fields.Date(
        string="New end date",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    tutor_id_new = fields.Many2one(
        "res.partner",
        string="New tutor",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        domain="[('is_company', '=', False), ('parent_id', '=', partner_id)]",
    )
    hours_per_week_new = fields.Float(
        string="New hours a week",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    site_id_new = fields.Many2one(
        "res.partner",
        string="New site",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('id', 'child_of', partner_id)]",
    )
    changed_fields = fields.Char(
        string="Changes",
        compute="_compute_changed_fields",
        help="What the amendment changes in the convention.",
    )

    _sql_constraints = [
        (
            "sequence_uniq",
            "unique (placement_id, sequence)",
            "Two amendments of a placement cannot have the same number.",
        ),
        # One amendment in progress per placement, whatever the concurrency.
        (
            "one_open_per_placement",
            "EXCLUDE (placement_id WITH =) WHERE (state IN ('draft', 'to_sign'))",
            "Another amendment of this placement is in progress: sign or "
            "cancel it first.",
        ),
    ]

    @api.depends("sequence", "company_id")
    def _compute_name(self):
        for amendment in self:
            # The document's title, in the lycée's language like its PDF.
            lang = amendment.company_id.partner_id.lang or self.env.lang
            amendment.name = amendment.with_context(lang=lang).env._(
                "Amendment No. %(number)s", number=amendment.sequence or ""
            )

    @api.depends("placement_id")
    def _compute_old_values(self):
        for amendment in self:
            placement = amendment.placement_id
            for name in AMENDED_FIELDS:
                amendment[f"{name}_old"] = placement[name]

    @api.depends("placement_id")
    def _compute_new_values(self):
        for amendment in self:
            placement = amendment.placement_id
            for name in AMENDED_FIELDS:
                amendment[f"{name}_new"] = placement[name]

    @api.depends("name", "student_id")
    def _compute_display_name(self):
        for amendment in self:
            amendment.display_name = self.env._(
                "%(amendment)s – %(student)s",
                amendment=amendment.name or "",
                student=amendment.student_id.name or "",
            )

    @api.depends(*NEW_FIELDS, *OLD_FIELDS)
    def _compute_changed_fields(self):
        for amendment in self:
            amendment.changed_fields = ", ".join(
                amendment._bde_field_label(name)
                for name in amendment._bde_changed_names()
            )

    @api.constrains(*NEW_FIELDS)
    def _check_changes(self):
        for amendment in self:
            if not amendment._bde_changed_names():
                raise ValidationError(
                    self.env._(
                        "%(amendment)s of %(student)s changes nothing: give a "
                        "new date, tutor, number of hours or site.",
                        amendment=amendment.name,
                        student=amendment.student_id.name,
                    )
                )
            amendment._bde_check_new_dates()
            amendment._bde_check_new_host_contacts()
            amendment._bde_check_new_hours()

    def _bde_check_new_dates(self):
        start, end = self.date_start_new, self.date_end_new
        if end < start:
            raise ValidationError(
                self.env._("The new end date comes before the new start date.")
            )
        first_day, last_day = school_year_bounds(self.placement_id.school_year)
        if start < first_day or end > last_day:
            raise ValidationError(
                self.env._(
                    "The new dates must lie within the school year %(year)s "
                    "(%(first)s to %(last)s).",
                    year=self.placement_id.school_year,
                    first=first_day,
                    last=last_day,
                )
            )

    def _bde_check_new_host_contacts(self):
        host = self.partner_id.commercial_partner_id
        if self.tutor_id_new.commercial_partner_id != host:
            raise ValidationError(
                self.env._(
                    "The new tutor must work for the host %(host)s.", host=host.name
                )
            )
        if self.site_id_new and self.site_id_new.commercial_partner_id != host:
            raise ValidationError(
                self.env._(
                    "The new site must be one of the host %(host)s.", host=host.name
                )
            )

    def _bde_check_new_hours(self):
        """The minors' weekly limit, for the age at the new start date, as
        the placement itself will check it once amended."""
        student = self.student_id
        minor = (
            not student.bde_birthdate
            or student.bde_age_on(self.date_start_new) < ADULT_AGE
        )
        if minor and self.hours_per_week_new > MINOR_MAX_HOURS_PER_WEEK:
            raise ValidationError(
                self.env._(
                    "%(student)s is a minor at the start of the placement: at "
                    "most %(max)s hours a week.",
                    student=student.name,
                    max=MINOR_MAX_HOURS_PER_WEEK,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Who may make an amendment, before what the placements tell.
        self.check_access("create")
        if not self.env.su:
            for vals in vals_list:
                self._bde_check_create_values(vals)
        # The former values are the convention's (computed): never given.
        vals_list = [
            {name: value for name, value in vals.items() if name not in OLD_FIELDS}
            for vals in vals_list
        ]
        placements = self.env["bde.pfmp.placement"].browse(
            [vals.get("placement_id") for vals in vals_list]
        )
        placements._bde_check_amendable()
        numbers = placements._bde_next_amendment_numbers()
        for vals, placement in zip(vals_list, placements, strict=True):
            vals["sequence"] = numbers[placement]
            numbers[placement] += 1
        return super().create(vals_list)

    def _bde_check_create_values(self, vals):
        if vals.get("state", "draft") != "draft" or "sequence" in vals:
            raise UserError(
                self.env._(
                    "An amendment is created as a draft; it is signed through "
                    "its steps."
                )
            )

    def write(self, vals):
        if not self.env.su:
            self._bde_check_write_rules(vals)
        return super().write(vals)

    def _bde_check_write_rules(self, vals):
        """The state moves through the steps; the placement, the number and
        the former values are set once; the amendment's content is frozen
        once it is sent for signature."""
        if FIXED_FIELDS & vals.keys():
            raise UserError(
                self.env._(
                    "The placement, the number, the former values, the state and "
                    "the signature request of an amendment are set by the "
                    "amendment itself and its steps."
                )
            )
        content = {"reason", *NEW_FIELDS} & vals.keys()
        if content and any(amendment.state != "draft" for amendment in self):
            raise UserError(
                self.env._(
                    "An amendment sent for signature no longer changes: cancel "
                    "it and make a new one."
                )
            )

    def unlink(self):
        if not self.env.su and any(a.state != "draft" for a in self):
            raise UserError(
                self.env._(
                    "Only a draft amendment is deleted: the others belong to "
                    "the history of the convention (cancel it instead)."
                )
            )
        return super().unlink()

    # Steps
    def action_bde_send_for_signature(self):
        """Send the amendment to the parties it concerns."""
        res = super().action_bde_send_for_signature()
        self._bde_write_state("to_sign")
        return res

    def action_bde_cancel_signature(self):
        """The request withdrawn, the amendment is a draft again: corrected,
        it is sent anew."""
        res = super().action_bde_cancel_signature()
        self.filtered(lambda a: a.state == "to_sign")._bde_write_state("draft")
        return res

    def action_cancel(self):
        self._bde_check_officer()
        self._bde_check_state_from(OPEN_STATES)
        self._bde_cancel()

    def _bde_cancel(self):
        """Cancel the amendments, withdrawing the request still out for
        signature: its parties' links open nothing more and the reminders
        stop."""
        for amendment in self.sudo():
            if amendment.sign_request_state == "0_sent":
                amendment.sign_request_id.cancel()
                amendment.activity_unlink([SIGN_ACTIVITY_TYPE])
        self._bde_write_state("cancelled")

    def _bde_write_state(self, state):
        # The steps checked who takes them and when: the state is theirs.
        self.sudo().write({"state": state})

    def _bde_check_officer(self):
        if not self.env.user.has_group("bde_lycee.group_bde_officer"):
            raise UserError(self.env._("Only the BDE team cancels an amendment."))

    def _bde_check_state_from(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for amendment in self:
            if amendment.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(amendment)s of %(student)s is %(state)s: this step is "
                        "not possible now.",
                        amendment=amendment.name,
                        student=amendment.student_id.name,
                        state=labels[amendment.state],
                    )
                )

    # Signature (bde.sign.mixin)
    def _bde_sign_report_xmlid(self):
        return "bde_pfmp.action_report_bde_pfmp_amendment"

    def _bde_sign_signatories(self):
        """The parties the amendment concerns, in the order of its signature
        block: the lycée, the host, the student (and their guardian for a
        minor), the tutor(s) and the referent teacher for a change of dates
        or hours, the former and the new tutor for a change of tutor."""
        self.ensure_one()
        head = self.company_id._bde_school_signatory(delegable=True)
        return [("head", head.partner_id), *self._bde_party_signatories()]

    def _bde_party_signatories(self):
        """The signatories other than the lycée's."""
        self.ensure_one()
        placement = self.placement_id
        changed = set(self._bde_changed_names())
        signatories = [
            ("host", placement.host_signatory_id or self.tutor_id_old),
            ("student", placement.student_id),
        ]
        if placement.is_minor:
            signatories.append(("guardian", placement.student_id.bde_legal_guardian_id))
        if "tutor_id" in changed:
            signatories += [
                ("former_tutor", self.tutor_id_old),
                ("tutor", self.tutor_id_new),
            ]
        elif changed & SCHEDULE_FIELDS:
            signatories.append(("tutor", self.tutor_id_old))
        if changed & SCHEDULE_FIELDS:
            signatories.append(("teacher", placement.teacher_id.partner_id))
        return signatories

    def _bde_report_signatories(self):
        """(role code, name, title) of each cell of the PDF's signature
        block, the lycée's first."""
        self.ensure_one()
        titles = {
            "head": self.env._("For the lycée, the head of school"),
            "host": self.env._("For the host"),
            "student": self.env._("The student"),
            "guardian": self.env._("The legal guardian"),
            "former_tutor": self.env._("The former tutor"),
            "tutor": self.env._("The tutor"),
            "teacher": self.env._("The referent teacher"),
        }
        signatories = [("head", self._bde_lycee_signatory_name())] + [
            (code, partner.name or "")
            for code, partner in self._bde_party_signatories()
        ]
        return [(code, name, titles[code]) for code, name in signatories]

    def _bde_lycee_signatory_name(self):
        company = self.company_id
        try:
            return company._bde_school_signatory(delegable=True).name
        except UserError:
            # A draft prints before the lycée names who signs.
            return company._bde_head_of_school_name() or ""

    def _bde_sign_check_ready(self):
        """A draft, of a placement still under way."""
        super()._bde_sign_check_ready()
        self._bde_check_state_from({"draft"})
        self.placement_id._bde_check_amendable_now(self)

    def _bde_sign_on_request_signed(self):
        """Signed by every party: the convention takes the new values."""
        self.ensure_one()
        # The parties signed: whoever gave the last signature (an external
        # party through their link) applies what the amendment says.
        amendment = self.sudo()
        amendment._bde_check_state_from({"to_sign"})
        amendment.placement_id._bde_apply_amendment(amendment)
        amendment._bde_write_state("signed")
        return super()._bde_sign_on_request_signed()

    # Helpers
    def _bde_changed_names(self):
        """The placement's fields whose value the amendment changes."""
        self.ensure_one()
        return [
            name
            for name in AMENDED_FIELDS
            if self[f"{name}_new"] != self[f"{name}_old"]
        ]

    def _bde_new_values(self):
        """The values to write on the placement: the changed ones."""
        self.ensure_one()
        return {
            name: self._fields[f"{name}_new"].convert_to_write(
                self[f"{name}_new"], self
            )
            for name in self._bde_changed_names()
        }

    def _bde_field_label(self, name):
        return (
            self.env["bde.pfmp.placement"]._fields[name]._description_string(self.env)
        )

    def _bde_format_value(self, name, which):
        """A value of the amendment's article, as the PDF and the chatter
        print it."""
        value = self[f"{name}_{which}"]
        if name == "hours_per_week":
            return self.placement_id._bde_format_hours(value)
        if isinstance(value, models.BaseModel):
            return value.display_name or self.env._("none")
        return format_date(self.env, value)

    def _bde_change_lines(self):
        """(label, old, new) of each change."""
        return [
            (
                self._bde_field_label(name),
                self._bde_format_value(name, "old"),
                self._bde_format_value(name, "new"),
            )
            for name in self._bde_changed_names()
        ]

    def _bde_history_message(self):
        lines = Markup("").join(
            Markup("<li>%s: %s → %s</li>") % line for line in self._bde_change_lines()
        )
        return Markup("%s<ul>%s</ul>") % (
            self.env._(
                "%(amendment)s signed by every party: the convention is amended.",
                amendment=self._get_html_link(),
            ),
            lines,
        )
