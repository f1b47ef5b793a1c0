import re
import uuid
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, consteq, format_date

from odoo.addons.bde_lycee.school_year import school_year_bounds

# Code du travail L.3162-1: a minor works at most 8 hours a day, 35 a week.
MINOR_MAX_HOURS_PER_DAY = 8
MINOR_MAX_HOURS_PER_WEEK = 35
ADULT_AGE = 18

STATES = [
    ("searching", "Searching"),
    ("host_found", "Host found"),
    ("to_sign", "Convention to sign"),
    ("signed", "Signed"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("evaluated", "Evaluated"),
    ("cancelled", "Cancelled"),
    ("interrupted", "Interrupted"),
]
# From "host found" on, the placement names its host and tutor.
HOSTED_STATES = {
    "host_found",
    "to_sign",
    "signed",
    "in_progress",
    "done",
    "evaluated",
    "interrupted",
}
# States where the convention has been signed by every party.
SIGNED_STATES = {"signed", "in_progress", "done", "evaluated", "interrupted"}
# States of a placement whose period took place: it gets an attestation.
ENDED_STATES = {"done", "evaluated", "interrupted"}
# Fields whose change moves the allowance of the placement and of the later
# placements of the student in the same school year and MEF.
ALLOWANCE_FIELDS = {"student_id", "class_id", "date_start", "days_done", "state"}
# Erasmus+ vocational learners' mobility (domain.md): short stays of 10 to 89
# days, long stays (ErasmusPro) of 90 to 365 days.
MOBILITY_MIN_DAYS = 10
MOBILITY_LONG_MIN_DAYS = 90
MOBILITY_MAX_DAYS = 365
# An Erasmus+ project number reads like 2025-1-FR01-KA121-VET-000123456 (call
# year, round, national agency, key action, field, number); the agencies vary
# the last parts, so only the outline is checked.
ERASMUS_PROJECT_RE = re.compile(
    r"^20\d{2}-\d-[A-Z]{2}\d{2}-KA\d{3}-[A-Z]{2,5}-\d{6,9}$"
)
# The tutor's appreciation of the student's work, on the four-level scale of
# the vocational diplomas' assessment grids.
TUTOR_EVALUATION_LEVELS = [
    ("1", "Insufficient"),
    ("2", "Fragile"),
    ("3", "Satisfactory"),
    ("4", "Very good"),
]
# The tutor evaluates during the last days of the placement or after it.
TUTOR_EVALUATION_STATES = {"in_progress"} | ENDED_STATES
# The tutor confirms the days done once the placement has started.
ATTENDANCE_STATES = {"in_progress", "done", "evaluated", "interrupted"}
# Fields that a plain ``write`` or ``create`` (RPC, the form, an import) never
# sets, each with its own path that checks who takes it and when: the state
# moves through the action_* steps, the tutor's confirmation and evaluation
# come from the tutors' portal, the allowance from its computation.
TUTOR_FIELDS = {
    "attendance_confirmed_date",
    "attendance_confirmed_by_id",
    "tutor_evaluation_level",
    "tutor_evaluation",
    "tutor_evaluation_date",
}
ALLOWANCE_RESULT_FIELDS = {
    "allowance_rate_id",
    "allowance_amount",
    "allowance_missing_rate",
}
# A placement is created before its convention is signed; the later states
# are reached through the steps.
CREATE_STATES = {"searching", "host_found", "to_sign"}
# The head of school alone signs the convention for the lycée.
HEAD_OF_SCHOOL_GROUP = "bde_lycee.group_bde_manager"
# The tutor's personal link opens the placement until this many days after its
# end: time to confirm the last days, evaluate and download the attestation.
# A system parameter changes it.
TUTOR_LINK_VALIDITY_DAYS = 30
TUTOR_LINK_VALIDITY_PARAM = "bde_pfmp.tutor_link_validity_days"
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


class BdePfmpPlacement(models.Model):
    """One student's placement in one host for one PFMP period, from the search
    for a host to the evaluation. It carries the pedagogical annex (activities
    and skills) and the financial annex (transport, meals, lodging, insurance)
    of the PFMP convention, and the State's allowance for the days done."""

    _name = "bde.pfmp.placement"
    _description = "PFMP placement"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, student_id, id"
    _rec_names_search = ["student_id", "partner_id", "class_id"]
    _check_company_auto = True

    # Who and when
    student_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("bde_is_student", "=", True)],
    )
    period_id = fields.Many2one(
        "bde.pfmp.period",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('class_id', '=', class_id)]",
    )
    class_id = fields.Many2one(
        "bde.class",
        compute="_compute_class_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="class_id.company_id", string="Lycée", store=True, precompute=True
    )
    school_year = fields.Char(related="class_id.school_year", store=True)
    mef_code = fields.Char(related="class_id.mef_code", string="MEF code", store=True)
    mef_stat4 = fields.Char(
        related="class_id.mef_stat4", string="MEF_STAT4 level", store=True
    )
    date_start = fields.Date(
        string="Start date",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_end = fields.Date(
        string="End date",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_middle = fields.Date(
        string="Middle of the placement",
        compute="_compute_date_middle",
        store=True,
        help="Middle of the placement: the referent teacher should have visited "
        "or called by then.",
    )
    calendar_days = fields.Integer(
        string="Calendar days", compute="_compute_calendar_days", store=True
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="searching",
        tracking=True,
        group_expand=True,
        copy=False,
    )
    stop_reason = fields.Text(
        string="Reason for stopping",
        tracking=True,
        copy=False,
        help="Why the placement was cancelled or interrupted.",
    )
    date_stopped = fields.Date(
        string="Stop date",
        tracking=True,
        copy=False,
        help="Last day of an interrupted placement.",
    )

    # Host and follow-up
    partner_id = fields.Many2one(
        "res.partner",
        string="Host",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
        help="Host company (organisme d'accueil) that signs the convention.",
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Site",
        check_company=True,
        domain="[('id', 'child_of', partner_id)]",
        help="Establishment or address where the student works, when it is not "
        "the host's main address.",
    )
    tutor_id = fields.Many2one(
        "res.partner",
        string="Tutor",
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', False), ('parent_id', '=', partner_id)]",
        help="Employee of the host who guides the student during the placement.",
    )
    teacher_id = fields.Many2one(
        "res.users",
        string="Referent teacher",
        compute="_compute_teacher_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    visit_ids = fields.One2many("bde.pfmp.visit", "placement_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")
    incident_ids = fields.One2many(
        "bde.pfmp.incident", "placement_id", string="Incidents"
    )
    incident_count = fields.Integer(
        string="Number of incidents", compute="_compute_incident_count"
    )
    rating_ids = fields.One2many(
        "bde.host.rating", "placement_id", string="Host ratings"
    )
    rating_count = fields.Integer(
        string="Number of ratings", compute="_compute_rating_count"
    )

    # Minors' rules
    age_at_start = fields.Integer(
        string="Age at start",
        compute="_compute_age_at_start",
        store=True,
        help="Age of the student on the first day of the placement.",
    )
    is_minor = fields.Boolean(
        string="Minor",
        compute="_compute_age_at_start",
        store=True,
        help="Under 18 on the first day, or birth date unknown: the minors' "
        "rules of the Code du travail apply to the whole placement.",
    )
    hours_per_day = fields.Float(
        string="Hours a day",
        help="Longest working day planned, in hours.",
    )
    hours_per_week = fields.Float(
        string="Hours a week", help="Weekly working hours planned."
    )
    night_work = fields.Boolean(
        string="Night work",
        help="The student works at night (from 22:00, or 20:00 under 16, to 06:00).",
    )
    regulated_work = fields.Boolean(
        string="Regulated work",
        tracking=True,
        help="The student does regulated work (travaux réglementés, Code du "
        "travail D.4153-15 and following): a minor needs the lycée's derogation.",
    )
    derogation_ref = fields.Char(
        string="Derogation reference",
        tracking=True,
        help="Reference of the derogation for regulated work declared to the "
        "labour inspectorate.",
    )

    # Pedagogical annex
    activities_planned = fields.Html(
        string="Activities planned",
        help="Activities planned with the host (annexe pédagogique).",
    )
    skills_planned = fields.Html(
        string="Skills planned",
        help="Skills of the diploma's referential to be worked on.",
    )
    # Financial annex
    transport_terms = fields.Text(string="Transport")
    meal_terms = fields.Text(string="Meals")
    lodging_terms = fields.Text(string="Lodging")
    insurance_terms = fields.Text(string="Insurance")

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

    # Attendance and allowance
    days_done = fields.Integer(
        string="Days done",
        tracking=True,
        copy=False,
        help="Whole days done in the host, absences deducted.",
    )
    attendance_confirmed_date = fields.Date(
        string="Attendance confirmed on",
        readonly=True,
        tracking=True,
        copy=False,
        help="Date the tutor confirmed the days done; cleared when the BDE "
        "changes the days done afterwards.",
    )
    attendance_confirmed_by_id = fields.Many2one(
        "res.partner",
        string="Attendance confirmed by",
        readonly=True,
        tracking=True,
        copy=False,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The allowance and APLyPro's checks are the lycée's business, not the
    # tutor's: the portal reads placements but not these fields.
    allowance_rate_id = fields.Many2one(
        "bde.allowance.rate",
        string="Allowance rate",
        readonly=True,
        copy=False,
        groups="bde_lycee.group_bde_user",
    )
    allowance_daily_rate = fields.Float(
        related="allowance_rate_id.daily_rate",
        string="Daily rate",
        groups="bde_lycee.group_bde_user",
    )
    allowance_amount = fields.Monetary(
        string="Allowance",
        readonly=True,
        copy=False,
        tracking=True,
        groups="bde_lycee.group_bde_user",
        help="Days done × daily rate, within what is left of the yearly cap "
        "after the student's earlier placements of the school year and MEF.",
    )
    allowance_missing_rate = fields.Boolean(
        string="No allowance rate",
        readonly=True,
        copy=False,
        groups="bde_lycee.group_bde_user",
        help="No allowance rate is known for the MEF or the level of the class "
        "in this school year: the allowance is 0.",
    )

    # European mobility
    is_abroad = fields.Boolean(
        string="Abroad",
        compute="_compute_is_abroad",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="European mobility: the host is in another country than the lycée.",
    )
    mobility_country_id = fields.Many2one(
        "res.country",
        string="Country of mobility",
        compute="_compute_mobility_country_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    mobility_organisation_id = fields.Many2one(
        "res.partner",
        string="Intermediary organisation",
        help="Partner organisation abroad that finds the host and welcomes the "
        "student on the spot.",
    )
    erasmus_project_ref = fields.Char(
        string="Erasmus+ project",
        tracking=True,
        help="Number of the lycée's Erasmus+ grant agreement that funds the "
        "mobility, e.g. 2025-1-FR01-KA121-VET-000123456.",
    )
    mobility_kind = fields.Selection(
        selection=[
            ("short", "Short mobility (10 to 89 days)"),
            ("long", "Long mobility – ErasmusPro (90 to 365 days)"),
        ],
        string="Kind of mobility",
        compute="_compute_mobility_kind",
        store=True,
    )
    learning_agreement = fields.Binary(
        string="Learning agreement",
        attachment=True,
        copy=False,
        help="The learning agreement signed by the student, the lycée and the "
        "host: what the student will learn abroad.",
    )
    learning_agreement_filename = fields.Char(copy=False)
    learning_agreement_signed_date = fields.Date(
        string="Learning agreement signed on", tracking=True, copy=False
    )
    europass_mobility = fields.Boolean(
        string="Europass Mobility issued",
        tracking=True,
        copy=False,
        help="The Europass Mobility document recording the skills acquired "
        "abroad has been issued to the student.",
    )
    europass_mobility_date = fields.Date(string="Europass Mobility date", copy=False)
    europass_mobility_number = fields.Char(
        string="Europass Mobility number", copy=False
    )

    # The secret of the tutor's personal link: read by the system alone, never
    # by the staff, who could otherwise act as the tutor.
    access_token = fields.Char(groups="base.group_system")

    # Tutor's evaluation, given through the portal or the tutor's link
    tutor_evaluation_level = fields.Selection(
        TUTOR_EVALUATION_LEVELS,
        string="Tutor's appreciation",
        readonly=True,
        tracking=True,
        copy=False,
    )
    tutor_evaluation = fields.Text(
        string="Tutor's evaluation",
        readonly=True,
        copy=False,
        help="The tutor's appreciation of the student's work: what went well, "
        "what to work on.",
    )
    tutor_evaluation_date = fields.Date(
        string="Evaluated by the tutor on", readonly=True, copy=False, tracking=True
    )

    _sql_constraints = [
        (
            "days_done_positive",
            "CHECK (days_done >= 0)",
            "The days done cannot be negative.",
        ),
        (
            "hours_valid",
            "CHECK (hours_per_day >= 0 AND hours_per_day <= 24 "
            "AND hours_per_week >= 0 AND hours_per_week <= 168)",
            "The working hours must be between 0 and 24 a day and 0 and 168 a week.",
        ),
    ]

    @api.depends("period_id", "student_id")
    def _compute_class_id(self):
        for placement in self:
            placement.class_id = (
                placement.period_id.class_id
                or placement.class_id
                or placement.student_id.bde_class_id
            )

    @api.depends("period_id")
    def _compute_dates(self):
        for placement in self:
            placement.date_start = (
                placement.period_id.date_start or placement.date_start
            )
            placement.date_end = placement.period_id.date_end or placement.date_end

    @api.depends("date_start", "date_end")
    def _compute_date_middle(self):
        for placement in self:
            if placement.date_start and placement.date_end:
                half = (placement.date_end - placement.date_start).days // 2
                placement.date_middle = placement.date_start + timedelta(days=half)
            else:
                placement.date_middle = False

    @api.depends("date_start", "date_end")
    def _compute_calendar_days(self):
        for placement in self:
            if placement.date_start and placement.date_end:
                days = (placement.date_end - placement.date_start).days + 1
                placement.calendar_days = max(days, 0)
            else:
                placement.calendar_days = 0

    @api.depends("class_id")
    def _compute_teacher_id(self):
        for placement in self:
            placement.teacher_id = placement.class_id.teacher_id or placement.teacher_id

    def _count_by_placement(self, model):
        """Number of ``model`` records per placement of ``self``, in one query."""
        return dict(
            self.env[model]._read_group(
                [("placement_id", "in", self.ids)], ["placement_id"], ["__count"]
            )
        )

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        counts = self._count_by_placement("bde.pfmp.visit")
        for placement in self:
            placement.visit_count = counts.get(placement, 0)

    @api.depends("incident_ids")
    def _compute_incident_count(self):
        counts = self._count_by_placement("bde.pfmp.incident")
        for placement in self:
            placement.incident_count = counts.get(placement, 0)

    @api.depends("rating_ids")
    def _compute_rating_count(self):
        counts = self._count_by_placement("bde.host.rating")
        for placement in self:
            placement.rating_count = counts.get(placement, 0)

    @api.depends("student_id.bde_birthdate", "date_start")
    def _compute_age_at_start(self):
        for placement in self:
            student = placement.student_id
            if student.bde_birthdate and placement.date_start:
                placement.age_at_start = student.bde_age_on(placement.date_start)
                placement.is_minor = placement.age_at_start < ADULT_AGE
            else:
                # Without a birth date, protect the student as a minor.
                placement.age_at_start = 0
                placement.is_minor = True

    @api.depends(*SIGNATURE_FIELDS, "is_minor", "signed_on_paper", "signed_scan")
    def _compute_signature_count(self):
        for placement in self:
            needed = placement._get_needed_signature_fields()
            signed = [name for name in needed if placement[name]]
            placement.signature_needed = len(needed)
            placement.signature_count = len(signed)
            if placement._is_signed_on_paper():
                placement.signature_progress = 100.0
            else:
                placement.signature_progress = 100.0 * len(signed) / len(needed)

    @api.depends("student_id", "partner_id", "date_start", "date_end")
    def _compute_display_name(self):
        for placement in self:
            host = placement.partner_id.name or self.env._("no host yet")
            placement.display_name = self.env._(
                "%(student)s – %(host)s",
                student=placement.student_id.name or "",
                host=host,
            )

    @api.constrains("date_start", "date_end", "class_id")
    def _check_dates(self):
        for placement in self:
            if placement.date_end < placement.date_start:
                raise ValidationError(
                    self.env._(
                        "The placement of %(student)s ends before it starts.",
                        student=placement.student_id.name,
                    )
                )
            first_day, last_day = school_year_bounds(placement.class_id.school_year)
            if placement.date_start < first_day or placement.date_end > last_day:
                raise ValidationError(
                    self.env._(
                        "The placement of %(student)s must lie within the school "
                        "year %(year)s (%(first)s to %(last)s).",
                        student=placement.student_id.name,
                        year=placement.class_id.school_year,
                        first=first_day,
                        last=last_day,
                    )
                )

    @api.constrains("student_id", "date_start", "date_end", "state")
    def _check_overlap(self):
        """A student is in one placement at a time: two live placements (not
        cancelled) of one student never overlap. One search for the batch."""
        live = self.filtered(lambda placement: placement.state != "cancelled")
        if not live:
            return
        # As superuser: the clashing placement may be one the user cannot read.
        others = self.sudo().search(
            [
                ("student_id", "in", live.student_id.ids),
                ("state", "!=", "cancelled"),
                ("date_start", "<=", max(live.mapped("date_end"))),
                ("date_end", ">=", min(live.mapped("date_start"))),
            ]
        )
        by_student = defaultdict(list)
        for other in others:
            by_student[other.student_id].append(other)
        for placement in live:
            for other in by_student[placement.student_id]:
                if (
                    other != placement
                    and other.date_start <= placement.date_end
                    and other.date_end >= placement.date_start
                ):
                    raise ValidationError(
                        self.env._(
                            "%(student)s already has a placement from %(start)s "
                            "to %(end)s: two placements of a student cannot "
                            "overlap.",
                            student=placement.student_id.name,
                            start=other.date_start,
                            end=other.date_end,
                        )
                    )

    @api.constrains(
        "hours_per_day", "hours_per_week", "night_work", "student_id", "date_start"
    )
    def _check_minor_hours(self):
        for placement in self.filtered("is_minor"):
            if placement.hours_per_day > MINOR_MAX_HOURS_PER_DAY:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "at most %(max)s hours a day.",
                        student=placement.student_id.name,
                        max=MINOR_MAX_HOURS_PER_DAY,
                    )
                )
            if placement.hours_per_week > MINOR_MAX_HOURS_PER_WEEK:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "at most %(max)s hours a week.",
                        student=placement.student_id.name,
                        max=MINOR_MAX_HOURS_PER_WEEK,
                    )
                )
            if placement.night_work:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "night work is forbidden.",
                        student=placement.student_id.name,
                    )
                )

    @api.constrains(
        "state", "regulated_work", "derogation_ref", "student_id", "date_start"
    )
    def _check_derogation(self):
        for placement in self:
            if placement.state in SIGNED_STATES and placement._needs_derogation():
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor doing regulated work: enter the "
                        "reference of the derogation before the convention is "
                        "signed.",
                        student=placement.student_id.name,
                    )
                )

    @api.constrains("state", "partner_id", "tutor_id")
    def _check_host(self):
        for placement in self:
            if placement.state in HOSTED_STATES and not (
                placement.partner_id and placement.tutor_id
            ):
                raise ValidationError(
                    self.env._(
                        "Name the host and the tutor of %(student)s's placement first.",
                        student=placement.student_id.name,
                    )
                )

    @api.constrains("days_done", "date_start", "date_end")
    def _check_days_done(self):
        for placement in self:
            if placement.days_done > placement.calendar_days:
                raise ValidationError(
                    self.env._(
                        "%(student)s cannot have done %(days)s days in a placement "
                        "of %(calendar)s calendar days.",
                        student=placement.student_id.name,
                        days=placement.days_done,
                        calendar=placement.calendar_days,
                    )
                )

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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_rules(vals)
        self._lock_allowance_students(
            self.env["res.partner"].browse(
                {vals["student_id"] for vals in vals_list if vals.get("student_id")}
            )
        )
        placements = super().create(vals_list)
        placements.tutor_id._bde_mark_as_tutor()
        placements._recompute_allowance()
        return placements

    def write(self, vals):
        self._check_write_rules(vals)
        return self._write_trusted(vals)

    def _write_trusted(self, vals):
        """The write itself, for the placement's own paths once they checked
        who takes them (the steps, the tutor's confirmation and evaluation):
        a private method, out of reach of RPC, so that nobody skips the rules
        of ``write``."""
        new_tutor = "tutor_id" in vals and self.filtered(
            lambda placement: placement.tutor_id.id != (vals["tutor_id"] or False)
        )
        if "days_done" in vals and "attendance_confirmed_date" not in vals:
            # The tutor confirmed other figures: a change by the staff voids it.
            self.filtered(
                lambda placement: (
                    placement.attendance_confirmed_date
                    and placement.days_done != vals["days_done"]
                )
            )._write_trusted(
                {
                    "attendance_confirmed_date": False,
                    "attendance_confirmed_by_id": False,
                }
            )
        if not ALLOWANCE_FIELDS & vals.keys():
            res = super().write(vals)
        else:
            self._lock_allowance_students(
                self.student_id | self.env["res.partner"].browse(vals.get("student_id"))
            )
            before = self._allowance_siblings()
            res = super().write(vals)
            (before | self)._recompute_allowance()
        if vals.get("tutor_id"):
            # Once written: the lycée's tutors' list reads its placements.
            self.tutor_id._bde_mark_as_tutor()
        if new_tutor:
            # The link sent to the former tutor opens nothing any more; the
            # new tutor is sent a new one.
            new_tutor.sudo()._write_trusted({"access_token": False})
        return res

    def unlink(self):
        self._lock_allowance_students(self.student_id)
        siblings = self._allowance_siblings() - self
        res = super().unlink()
        siblings._recompute_allowance()
        return res

    # Who writes what: the rules of ``write`` and ``create`` for every way in
    def _check_write_rules(self, vals):
        """Refuse the fields that only a step, the tutor or the computation
        sets, and the lycée's signature to anyone but the head of school.
        Code running as superuser (data files, the tutors' portal once it
        knows the tutor) is trusted: no client reaches it."""
        if self.env.su:
            return
        if "state" in vals:
            raise UserError(
                self.env._(
                    "The state of a placement changes only through its steps "
                    "(the buttons of the placement), which check who takes "
                    "them and when."
                )
            )
        self._check_protected_values(vals.keys())
        self._check_signatures_frozen(vals)

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

    def _check_create_rules(self, vals):
        """A placement is created before its convention is signed, without
        the tutor's or the computation's values."""
        if self.env.su:
            return
        if vals.get("state", "searching") not in CREATE_STATES:
            raise UserError(
                self.env._(
                    "A placement is created while the student searches for a "
                    "host or before the convention is signed; the later states "
                    "are reached through its steps."
                )
            )
        self._check_protected_values([name for name, value in vals.items() if value])

    def _check_protected_values(self, field_names):
        names = set(field_names)
        if names & TUTOR_FIELDS:
            raise UserError(
                self.env._(
                    "The attendance confirmation and the evaluation of a "
                    "placement are given by its tutor, through the tutors' "
                    "portal or their personal link."
                )
            )
        if names & ALLOWANCE_RESULT_FIELDS:
            raise UserError(
                self.env._(
                    "The allowance of a placement is computed from its days "
                    "done and the national rates: it cannot be entered."
                )
            )
        if "date_signed_school" in names and not self.env.user.has_group(
            HEAD_OF_SCHOOL_GROUP
        ):
            raise AccessError(
                self.env._(
                    "Only the head of school dates the lycée's signature of a "
                    "PFMP convention."
                )
            )

    # State transitions
    def action_host_found(self):
        self._check_state_from({"searching"})
        self._write_trusted({"state": "host_found"})

    def action_to_sign(self):
        self._check_state_from({"host_found"})
        self._write_trusted({"state": "to_sign"})

    def action_sign(self):
        """The convention is signed for the lycée by its head of school or
        the BDE team, never by a referent teacher alone."""
        if not self.env.user.has_group("bde_lycee.group_bde_officer"):
            raise AccessError(
                self.env._("Only the BDE team records a signed convention.")
            )
        self._check_state_from({"to_sign"})
        self._check_learning_agreement()
        self._check_signatures()
        self._write_trusted({"state": "signed"})

    def action_start(self):
        self._check_state_from({"signed"})
        self._write_trusted({"state": "in_progress"})

    def action_done(self):
        self._check_state_from({"in_progress"})
        self._write_trusted({"state": "done"})

    def action_evaluate(self):
        """A placement is evaluated once its host has been rated at least once,
        so that every ended placement feeds the host's quality score."""
        self._check_state_from({"done"})
        unrated = self.filtered(lambda placement: not placement.rating_ids)
        if unrated:
            raise UserError(
                self.env._(
                    "Rate the host of %(students)s before marking the placement "
                    "as evaluated.",
                    students=", ".join(unrated.student_id.mapped("name")),
                )
            )
        self._write_trusted({"state": "evaluated"})

    def action_reset(self):
        self._check_state_from({"cancelled"})
        self._write_trusted(
            {"state": "searching", "stop_reason": False, "date_stopped": False}
        )

    def action_open_stop_wizard(self):
        """Cancelling or interrupting asks for the reason in a dialog."""
        stop = self.env.context.get("bde_stop", "cancel")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Interrupt the placement")
            if stop == "interrupt"
            else self.env._("Cancel the placement"),
            "res_model": "bde.pfmp.placement.stop",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_placement_ids": self.ids,
                "default_stop": stop,
            },
        }

    def _action_stop(self, stop, reason, date_stopped=False):
        """Cancel a placement that has not started, or interrupt one in
        progress (early ending); both keep the reason."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason first."))
        if stop == "interrupt":
            self._check_state_from({"in_progress"})
            self._write_trusted(
                {
                    "state": "interrupted",
                    "stop_reason": reason,
                    "date_stopped": date_stopped or fields.Date.context_today(self),
                }
            )
        else:
            self._check_state_from({"searching", "host_found", "to_sign", "signed"})
            self._write_trusted({"state": "cancelled", "stop_reason": reason})

    def _check_state_from(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for placement in self:
            if placement.state not in allowed:
                raise UserError(
                    self.env._(
                        "The placement of %(student)s is %(state)s: this step is "
                        "not possible now.",
                        student=placement.student_id.name,
                        state=labels[placement.state],
                    )
                )

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

    def _needs_derogation(self):
        self.ensure_one()
        return self.is_minor and self.regulated_work and not self.derogation_ref

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_visit_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {
            "default_placement_id": self.id,
            "default_user_id": self.teacher_id.id or self.env.uid,
        }
        return action

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_incident_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action

    def action_view_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_host_rating_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action

    def action_rate_host(self):
        """Open a new rating of the host in a dialog, by the referent teacher
        unless the teacher already rated it."""
        self.ensure_one()
        rater_type = "teacher"
        if "teacher" in self.rating_ids.mapped("rater_type"):
            rater_type = "student"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rate the host"),
            "res_model": "bde.host.rating",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_placement_id": self.id,
                "default_rater_type": rater_type,
            },
        }

    # Attendance confirmed by the tutor
    def _confirm_attendance(self, days_done, confirmed_by):
        """Record the days done as confirmed by the tutor. Called by the tutors'
        portal, as superuser once the caller is known to be ``confirmed_by``:
        only the placement's own tutor may confirm, once the placement has
        started. The constraints on the days done apply."""
        self.ensure_one()
        if self.state not in ATTENDANCE_STATES:
            raise UserError(
                self.env._(
                    "The attendance of %(student)s can be confirmed only once the "
                    "placement has started.",
                    student=self.student_id.name,
                )
            )
        if not confirmed_by or confirmed_by != self.tutor_id:
            raise UserError(
                self.env._(
                    "Only the tutor of %(student)s, %(tutor)s, confirms the "
                    "attendance.",
                    student=self.student_id.name,
                    tutor=self.tutor_id.name,
                )
            )
        if not isinstance(days_done, int) or days_done < 0:
            raise UserError(
                self.env._("The days done must be a whole number, 0 or more.")
            )
        self._write_trusted(
            {
                "days_done": days_done,
                "attendance_confirmed_date": fields.Date.context_today(self),
                "attendance_confirmed_by_id": confirmed_by.id,
            }
        )

    # European mobility
    @api.depends("partner_id.country_id", "company_id.country_id")
    def _compute_is_abroad(self):
        # The suite serves French lycées: one without a country is in France.
        france = self.env.ref("base.fr")
        for placement in self:
            host_country = placement.partner_id.country_id
            home_country = placement.company_id.country_id or france
            placement.is_abroad = bool(host_country) and host_country != home_country

    @api.depends("is_abroad", "partner_id.country_id")
    def _compute_mobility_country_id(self):
        for placement in self:
            if placement.is_abroad:
                placement.mobility_country_id = (
                    placement.partner_id.country_id or placement.mobility_country_id
                )
            else:
                placement.mobility_country_id = False

    @api.depends("is_abroad", "calendar_days")
    def _compute_mobility_kind(self):
        for placement in self:
            if not placement.is_abroad:
                placement.mobility_kind = False
            elif placement.calendar_days >= MOBILITY_LONG_MIN_DAYS:
                placement.mobility_kind = "long"
            else:
                placement.mobility_kind = "short"

    @api.constrains("is_abroad", "partner_id", "date_start", "date_end")
    def _check_mobility_duration(self):
        for placement in self.filtered("is_abroad"):
            if not MOBILITY_MIN_DAYS <= placement.calendar_days <= MOBILITY_MAX_DAYS:
                raise ValidationError(
                    self.env._(
                        "The mobility abroad of %(student)s lasts %(days)s days: an "
                        "Erasmus+ mobility lasts from %(min)s to %(max)s days.",
                        student=placement.student_id.name,
                        days=placement.calendar_days,
                        min=MOBILITY_MIN_DAYS,
                        max=MOBILITY_MAX_DAYS,
                    )
                )

    @api.constrains("erasmus_project_ref")
    def _check_erasmus_project_ref(self):
        for placement in self.filtered("erasmus_project_ref"):
            if not ERASMUS_PROJECT_RE.match(placement.erasmus_project_ref.strip()):
                raise ValidationError(
                    self.env._(
                        "The Erasmus+ project number %(ref)s should read like "
                        "2025-1-FR01-KA121-VET-000123456.",
                        ref=placement.erasmus_project_ref,
                    )
                )

    def _check_learning_agreement(self):
        """A mobility abroad is signed together with its learning agreement."""
        missing = self.filtered(
            lambda placement: (
                placement.is_abroad
                and not (
                    placement.learning_agreement
                    and placement.learning_agreement_signed_date
                )
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "Attach the signed learning agreement and its signature date "
                    "before signing the convention of the mobility abroad of "
                    "%(students)s.",
                    students=", ".join(missing.student_id.mapped("name")),
                )
            )

    # Tutors' portal
    def _compute_access_url(self):
        super()._compute_access_url()
        for placement in self:
            placement.access_url = f"/my/pfmp/{placement.id}"

    def _mail_get_partner_fields(self, introspect_fields=False):
        # The person of the placement outside the lycée is its tutor: the
        # portal's links in notifications go to them, not to the host's
        # general address.
        return ["tutor_id"]

    def _portal_ensure_token(self):
        """The tutor's link names its tutor: a token made for another person,
        or before tokens named one, is replaced. Reading the token takes the
        system's rights (see ``access_token``)."""
        if not self._tutor_link_names_tutor(self.access_token):
            self.sudo()._write_trusted(
                {"access_token": f"{self.tutor_id.id}-{uuid.uuid4()}"}
            )
        return self.access_token

    def _tutor_link_names_tutor(self, token):
        self.ensure_one()
        return bool(self.tutor_id and token) and (
            token.partition("-")[0] == str(self.tutor_id.id)
        )

    def _tutor_link_is_valid(self, token):
        """Whether ``token`` opens the placement: it is the placement's token,
        it names the placement's current tutor, and the placement ended less
        than the link's validity ago."""
        self.ensure_one()
        placement_sudo = self.sudo()
        return (
            bool(token and placement_sudo.access_token)
            and consteq(placement_sudo.access_token, token)
            and self._tutor_link_names_tutor(token)
            and not self._tutor_link_expired()
        )

    def _tutor_link_expired(self):
        self.ensure_one()
        if not self.date_end:
            return False
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(TUTOR_LINK_VALIDITY_PARAM, "")
        )
        validity = int(days) if days.isdigit() else TUTOR_LINK_VALIDITY_DAYS
        return fields.Date.context_today(self) > self.date_end + timedelta(
            days=validity
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # The portal's chatter accepts the link's token too: the same rules
        # apply there (current tutor, validity).
        token = kwargs.get("token")
        placement_sudo = self.browse(thread_id).sudo().exists()
        if token and not (
            placement_sudo and placement_sudo._tutor_link_is_valid(token)
        ):
            kwargs["token"] = None
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "PFMP %(student)s %(start)s",
            student=self.student_id.name,
            start=self.date_start,
        )

    def _get_tutor_documents(self):
        """The PDF documents the tutor downloads from the portal, by key: the
        convention once the host and tutor are named, the attestation once
        the period has ended."""
        self.ensure_one()
        documents = {}
        if self.partner_id and self.tutor_id and self.state != "cancelled":
            documents["convention"] = {
                "name": self.env._("PFMP convention"),
                "report": "bde_pfmp.action_report_bde_pfmp_convention",
            }
        if self.state in ENDED_STATES:
            documents["attestation"] = {
                "name": self.env._("PFMP attestation"),
                "report": "bde_pfmp.action_report_bde_pfmp_attestation",
            }
        return documents

    def _submit_tutor_evaluation(self, level, evaluation, evaluated_by):
        """Record the tutor's appreciation of the student's work, given through
        the portal; the referent teacher reads it in the chatter too."""
        self.ensure_one()
        if evaluated_by != self.tutor_id:
            raise AccessError(
                self.env._("Only the tutor of the placement evaluates it.")
            )
        if self.state not in TUTOR_EVALUATION_STATES:
            raise UserError(
                self.env._(
                    "The placement of %(student)s has not started: it is evaluated "
                    "at the end of the period.",
                    student=self.student_id.name,
                )
            )
        if level not in dict(TUTOR_EVALUATION_LEVELS) or not (evaluation or "").strip():
            raise UserError(
                self.env._("Choose an appreciation and write the evaluation.")
            )
        self._write_trusted(
            {
                "tutor_evaluation_level": level,
                "tutor_evaluation": evaluation.strip(),
                "tutor_evaluation_date": fields.Date.context_today(self),
            }
        )
        self.message_post(
            body=self.env._(
                "%(tutor)s evaluated the placement: %(evaluation)s",
                tutor=evaluated_by.name,
                evaluation=self.tutor_evaluation,
            ),
            author_id=evaluated_by.id,
        )

    def action_send_tutor_link(self):
        """Mail the tutor their personal link to the placement, for a tutor
        with or without a portal account. The staff who send it never see it:
        the mail is written as superuser, kept out of the placement's chatter
        and deleted once sent; the chatter only records that it went."""
        self.ensure_one()
        if not self.tutor_id.email:
            raise UserError(
                self.env._(
                    "Enter the e-mail address of the tutor %(tutor)s first.",
                    tutor=self.tutor_id.name or "",
                )
            )
        template = self.env.ref("bde_pfmp.mail_template_bde_pfmp_tutor_link")
        # sudo: the template reads the link's token, which only the system
        # reads.
        template.sudo().send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={
                # Neither on the placement's thread nor by the sender: no
                # staff member reads the message that carries the link.
                "model": False,
                "res_id": False,
                "author_id": self.company_id.partner_id.id,
                "auto_delete": True,
            },
        )
        message = self.env._(
            "The personal link to the placement was sent to the tutor %(tutor)s.",
            tutor=self.tutor_id.name,
        )
        self._message_log(body=message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "sticky": False},
        }

    # Follow-up reminders
    @api.model
    def _cron_remind_missing_visits(self):
        """A placement in progress past its middle with no visit or call gets
        one reminder activity for its referent teacher."""
        activity_type = self.env.ref("bde_pfmp.mail_activity_type_pfmp_visit")
        placements = self.search(self._get_missing_visit_domain())
        reminded = placements.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ).mapped("res_id")
        for placement in placements.filtered(lambda p: p.id not in reminded):
            placement.activity_schedule(
                "bde_pfmp.mail_activity_type_pfmp_visit",
                user_id=placement.teacher_id.id,
                note=self.env._(
                    "The placement of %(student)s at %(host)s has passed its "
                    "middle without a visit or a call.",
                    student=placement.student_id.name,
                    host=placement.partner_id.name,
                ),
            )

    def _get_missing_visit_domain(self):
        return [
            ("state", "=", "in_progress"),
            ("date_middle", "<", fields.Date.context_today(self)),
            ("visit_ids", "=", False),
            ("teacher_id", "!=", False),
        ]

    # Allowance (APLyPro's rule)
    def _allowance_key(self):
        self.ensure_one()
        return (
            self.student_id.id,
            self.school_year,
            self.mef_code or self.mef_stat4 or "",
        )

    def _allowance_siblings(self):
        """Placements sharing a student and a school year with these ones: the
        cap is counted over them. As superuser: the amount of a placement
        depends on every placement of the student, whoever may read them."""
        if not self:
            return self.browse()
        return self.sudo().search(
            [
                ("student_id", "in", self.student_id.ids),
                ("school_year", "in", list(set(self.mapped("school_year")))),
            ]
        )

    @api.model
    def _lock_allowance_students(self, students):
        """Serialise the allowance computations of these students: two
        transactions computing one student's amounts each from the other's
        old amounts would both grant the whole yearly cap.

        Odoo's transactions run in REPEATABLE READ, so a row lock alone is
        not enough: the second transaction would get it once the first
        commits, and still read its older snapshot. Touching the students'
        rows makes PostgreSQL refuse the second one (serialization failure),
        which Odoo retries from a fresh snapshot. Rows are taken in id order,
        so that two transactions never wait for each other."""
        if not students:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET id = id WHERE id IN ("
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id "
                "FOR NO KEY UPDATE)",
                sorted(students.ids),
            )
        )

    def _recompute_allowance(self):
        """Amount of a placement = min(days done × daily rate, yearly cap −
        amounts already set on the student's earlier placements of the same
        school year and MEF); earlier placements first (by start date, then
        id). Every placement of the affected students and years is recomputed,
        so a change on one moves all the later ones."""
        self._lock_allowance_students(self.student_id)
        placements = self._allowance_siblings()
        if not placements:
            return
        rates = self.env["bde.allowance.rate"]
        rate_map = rates._get_rate_map(set(placements.mapped("school_year")))
        groups = defaultdict(list)
        for placement in placements.sorted(lambda p: (p.date_start, p.id)):
            groups[placement._allowance_key()].append(placement)
        for group in groups.values():
            used = 0.0
            for placement in group:
                rate = rates._find(
                    rate_map,
                    placement.school_year,
                    placement.mef_code,
                    placement.mef_stat4,
                )
                amount = 0.0
                if rate and placement.state != "cancelled":
                    amount = min(
                        placement.days_done * rate.daily_rate,
                        max(rate.yearly_cap - used, 0.0),
                    )
                    used += amount
                placement._write_allowance(rate, amount)

    def _write_allowance(self, rate, amount):
        """Write through super() to skip the recompute of ``write``."""
        current = (self.allowance_rate_id, self.allowance_amount)
        if current != (rate, amount) or self.allowance_missing_rate != (not rate):
            super().write(
                {
                    "allowance_rate_id": rate.id,
                    "allowance_amount": amount,
                    "allowance_missing_rate": not rate,
                }
            )

    # APLyPro checks and the figures of the allowance exports and statements
    student_aplypro_blocked = fields.Boolean(
        related="student_id.bde_aplypro_blocked",
        string="Blocking APLyPro",
        groups="bde_lycee.group_bde_user",
    )
    student_aplypro_issues = fields.Html(
        related="student_id.bde_aplypro_issues",
        string="APLyPro issues",
        groups="bde_lycee.group_bde_user",
    )

    def _bde_aplypro_issue_list(self):
        """The checks of APLyPro that this placement fails, as sentences."""
        self.ensure_one()
        issues = []
        if self.school_year and self.date_start and self.date_end:
            first_day, last_day = school_year_bounds(self.school_year)
            if self.date_start < first_day or self.date_end > last_day:
                issues.append(
                    self.env._(
                        "The placement from %(start)s to %(end)s is not within "
                        "the school year %(year)s.",
                        start=format_date(self.env, self.date_start),
                        end=format_date(self.env, self.date_end),
                        year=self.school_year,
                    )
                )
        student = self.student_id
        paid_to = student.bde_aplypro_own_bank_account or student.bde_aplypro_mandate
        if student.bde_birthdate and self.age_at_start >= ADULT_AGE and not paid_to:
            issues.append(
                self.env._(
                    "Adult at the start of the placement of %(start)s: the "
                    "allowance is paid on a bank account in their own name or "
                    "through a mandate, and neither is declared.",
                    start=format_date(self.env, self.date_start),
                )
            )
        return issues

    def _allowance_cumulated(self):
        """``{placement id: (amount cumulated so far, cap left)}`` over the
        student's placements of the same school year and MEF, earlier first
        (as ``_recompute_allowance`` counts them), this one included."""
        figures = {}
        used = defaultdict(float)
        for placement in self._allowance_siblings().sorted(
            lambda p: (p.date_start, p.id)
        ):
            key = placement._allowance_key()
            used[key] += placement.allowance_amount
            cap = placement.allowance_rate_id.yearly_cap
            figures[placement.id] = (used[key], max(cap - used[key], 0.0))
        return figures

    # The search for a host: the student's search log, and the students
    # still without host shortly before their period.
    search_step_ids = fields.One2many(
        "bde.pfmp.search.step", "placement_id", string="Search log"
    )
    search_step_count = fields.Integer(
        string="Companies contacted", compute="_compute_search_step_count"
    )
    is_without_host = fields.Boolean(
        string="Without host",
        compute="_compute_is_without_host",
        search="_search_is_without_host",
        help="Still searching for a host, and the period starts within the "
        "number of days set on the lycée (21 by default).",
    )
    no_host_reminder_date = fields.Date(
        string="No-host reminder sent on",
        readonly=True,
        copy=False,
        help="Day the referent teacher was reminded that the student has no "
        "host yet; a placement is reminded once.",
    )

    @api.depends("search_step_ids")
    def _compute_search_step_count(self):
        counts = self._count_by_placement("bde.pfmp.search.step")
        for placement in self:
            placement.search_step_count = counts.get(placement, 0)

    @api.depends("state", "date_start", "company_id.bde_pfmp_no_host_days")
    def _compute_is_without_host(self):
        today = fields.Date.context_today(self)
        for placement in self:
            limit = today + timedelta(days=placement.company_id.bde_pfmp_no_host_days)
            placement.is_without_host = bool(
                placement.state == "searching"
                and placement.date_start
                and today <= placement.date_start <= limit
            )

    def _search_is_without_host(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search students without host with = or !=."))
        domain = self._get_without_host_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *domain]

    @api.model
    def _get_without_host_domain(self):
        """Searching placements whose period starts between today and the
        lycée's number of days ahead: one clause per lycée, each has its own."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([])
        clauses = [
            [
                ("company_id", "=", company.id),
                (
                    "date_start",
                    "<=",
                    today + timedelta(days=company.bde_pfmp_no_host_days),
                ),
            ]
            for company in companies
        ]
        return [
            ("state", "=", "searching"),
            ("date_start", ">=", today),
            *(expression.OR(clauses) if clauses else [(0, "=", 1)]),
        ]

    def action_view_search_steps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_search_step_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {
            "default_placement_id": self.id,
            "default_student_id": self.student_id.id,
        }
        return action

    @api.model
    def _cron_remind_no_host(self):
        """One reminder activity for the referent teacher of each student still
        without host shortly before the period; never twice for a placement."""
        placements = self.search(
            [
                ("is_without_host", "=", True),
                ("no_host_reminder_date", "=", False),
                ("teacher_id", "!=", False),
            ]
        )
        for placement in placements:
            placement.activity_schedule(
                "bde_pfmp.mail_activity_type_pfmp_no_host",
                user_id=placement.teacher_id.id,
                note=self.env._(
                    "%(student)s has no host yet and the period starts on %(date)s.",
                    student=placement.student_id.name,
                    date=placement.date_start,
                ),
            )
        placements.no_host_reminder_date = fields.Date.context_today(self)
