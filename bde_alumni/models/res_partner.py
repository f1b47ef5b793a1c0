from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .res_company import DEFAULT_RETENTION_YEARS

DIPLOMA_RESULTS = [
    ("obtained", "Obtained"),
    ("failed", "Not obtained"),
    ("unknown", "Unknown"),
]
CONSENT_SOURCES = [
    ("graduation", "Graduation form"),
    ("website", "Alumni page"),
    ("survey", "Survey"),
    ("phone", "Phone call"),
    ("email", "E-mail"),
    ("other", "Other"),
]
# Personal data stays at least until the 24-month follow-up is over: the
# insertion indicators need it to reach the alumni.
MIN_RETENTION_YEARS = 2
# Alumni anonymised per cron run; the cron runs again at once while some are
# left (ir.cron progress), so that a large backlog never holds one long
# transaction.
ANONYMISE_BATCH_SIZE = 200


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Graduation: the person left the lycée at the end of a final-year class.
    bde_is_alumni = fields.Boolean(string="Alumni", index=True, tracking=True)
    bde_exit_class_id = fields.Many2one(
        "bde.class",
        string="Exit class",
        index=True,
        help="Final-year class the alumni left the lycée from.",
    )
    bde_exit_formation_id = fields.Many2one(
        "bde.formation",
        string="Exit formation",
        index=True,
        help="Formation of the exit class: with the exit year, it makes the "
        "cohort counted by the insertion indicators.",
    )
    bde_exit_year = fields.Integer(
        string="Exit year",
        index=True,
        help="Calendar year in which the alumni left the lycée (e.g. 2026 "
        "for the 2025-2026 school year).",
    )
    bde_exit_date = fields.Date(
        string="Exit date",
        help="End of the last school year; months after exit count from it.",
    )
    bde_diploma_result = fields.Selection(
        DIPLOMA_RESULTS, string="Diploma", default="unknown", tracking=True
    )

    # Consent (RGPD): two explicit, dated opt-ins, withdrawn in one step.
    bde_alumni_network_consent = fields.Boolean(
        string="Joins the alumni network",
        tracking=True,
        help="The alumni agreed to appear in the alumni directory.",
    )
    bde_alumni_network_consent_date = fields.Datetime(string="Network consent on")
    bde_alumni_network_consent_source = fields.Selection(
        CONSENT_SOURCES, string="Network consent source"
    )
    bde_alumni_contact_consent = fields.Boolean(
        string="Agrees to be contacted",
        tracking=True,
        help="The alumni agreed to receive the lycée's surveys, news and invitations.",
    )
    bde_alumni_contact_consent_date = fields.Datetime(string="Contact consent on")
    bde_alumni_contact_consent_source = fields.Selection(
        CONSENT_SOURCES, string="Contact consent source"
    )

    # Situations over time
    bde_alumni_situation_ids = fields.One2many(
        "bde.alumni.situation", "partner_id", string="Situations"
    )
    bde_alumni_situation_id = fields.Many2one(
        "bde.alumni.situation",
        string="Latest situation",
        compute="_compute_bde_alumni_situation_id",
        store=True,
    )
    bde_alumni_status = fields.Selection(
        related="bde_alumni_situation_id.status",
        string="Current status",
        store=True,
    )

    # The network (annex expectation 7: today's learners are tomorrow's tutors)
    bde_alumni_willing_tutor = fields.Boolean(
        string="Willing to be a tutor", tracking=True
    )
    bde_alumni_willing_speaker = fields.Boolean(
        string="Willing to speak at a forum", tracking=True
    )
    bde_alumni_willing_jury = fields.Boolean(
        string="Willing to sit on a jury", tracking=True
    )
    bde_alumni_willing_mentor = fields.Boolean(
        string="Willing to mentor a student", tracking=True
    )
    bde_alumni_is_pfmp_tutor = fields.Boolean(
        string="Tutor of PFMP students",
        compute="_compute_bde_alumni_is_pfmp_tutor",
        search="_search_bde_alumni_is_pfmp_tutor",
        help="The alumni tutors PFMP students: named tutor of a placement, "
        "as this contact or as a company contact with the same e-mail.",
    )
    bde_alumni_in_partner_company = fields.Boolean(
        string="Works in a partner company",
        compute="_compute_bde_alumni_in_partner_company",
        search="_search_bde_alumni_in_partner_company",
        help="The employer of the latest situation is an active partner of "
        "the lycée or hosts PFMP students.",
    )

    @api.depends("bde_alumni_situation_ids.date")
    def _compute_bde_alumni_situation_id(self):
        for partner in self:
            situations = partner.bde_alumni_situation_ids.sorted(
                lambda situation: (situation.date, situation.id), reverse=True
            )
            partner.bde_alumni_situation_id = situations[:1]

    def _bde_alumni_give_consent(self, network=False, contact=False, source="other"):
        """Record the opt-ins the person gave, with their date and source."""
        now = fields.Datetime.now()
        vals = {}
        if network:
            vals.update(
                bde_alumni_network_consent=True,
                bde_alumni_network_consent_date=now,
                bde_alumni_network_consent_source=source,
            )
        if contact:
            vals.update(
                bde_alumni_contact_consent=True,
                bde_alumni_contact_consent_date=now,
                bde_alumni_contact_consent_source=source,
            )
        if vals:
            self.write(vals)

    def action_bde_alumni_withdraw_consent(self):
        """One click withdraws both opt-ins (the dates go with them): the
        alumni leaves the directory and the alumni mailing list."""
        self._bde_alumni_withdraw(network=True, contact=True)

    def _bde_alumni_withdraw(self, network=False, contact=False):
        vals = {}
        if network:
            vals.update(
                bde_alumni_network_consent=False,
                bde_alumni_network_consent_date=False,
                bde_alumni_network_consent_source=False,
            )
        if contact:
            vals.update(
                bde_alumni_contact_consent=False,
                bde_alumni_contact_consent_date=False,
                bde_alumni_contact_consent_source=False,
            )
        self.write(vals)

    @api.model
    def _bde_mailing_sync_fields(self):
        return super()._bde_mailing_sync_fields() | {
            "bde_is_alumni",
            "bde_alumni_contact_consent",
        }

    # Recognition of the alumni in the network. Placements are read as
    # superuser: whether a former student tutors is known to their lycée even
    # when the trainee belongs to another lycée of the network.
    @api.model
    def _bde_alumni_tutor_domain(self):
        groups = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group([("tutor_id", "!=", False)], ["tutor_id"])
        )
        tutors = self.browse([tutor.id for (tutor,) in groups]).sudo()
        emails = [email for email in tutors.mapped("email_normalized") if email]
        return ["|", ("id", "in", tutors.ids), ("email_normalized", "in", emails)]

    @api.model
    def _bde_alumni_partner_company_domain(self):
        hosts = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group([("partner_id", "!=", False)], ["partner_id"])
        )
        companies = self.env["res.partner"].sudo().search(
            [("bde_partner_status", "=", "active")]
        ) | self.browse([host.id for (host,) in hosts])
        return [
            (
                "bde_alumni_situation_id.employer_id.commercial_partner_id",
                "in",
                companies.ids,
            )
        ]

    def _bde_alumni_flag_search(self, domain, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        if (operator == "=") == value:
            return domain
        return ["!", *domain]

    def _compute_bde_alumni_is_pfmp_tutor(self):
        tutors = self.search([("id", "in", self.ids)] + self._bde_alumni_tutor_domain())
        for partner in self:
            partner.bde_alumni_is_pfmp_tutor = partner in tutors

    @api.model
    def _bde_school_person_domain(self):
        # Alumni stay persons of their lycée: the network reader counts them
        # in the indicators, never reads them.
        return expression.OR(
            [super()._bde_school_person_domain(), [("bde_is_alumni", "=", True)]]
        )

    def _search_bde_alumni_is_pfmp_tutor(self, operator, value):
        return self._bde_alumni_flag_search(
            self._bde_alumni_tutor_domain(), operator, value
        )

    def _compute_bde_alumni_in_partner_company(self):
        employed = self.search(
            [("id", "in", self.ids)] + self._bde_alumni_partner_company_domain()
        )
        for partner in self:
            partner.bde_alumni_in_partner_company = partner in employed

    def _search_bde_alumni_in_partner_company(self, operator, value):
        return self._bde_alumni_flag_search(
            self._bde_alumni_partner_company_domain(), operator, value
        )

    # Insertion surveys: the personal link rendered in each recipient's e-mail.
    bde_alumni_survey_url = fields.Char(
        string="Survey link",
        compute="_compute_bde_alumni_survey_url",
        help="Personal link to the alumni's latest unanswered follow-up survey.",
    )

    def _compute_bde_alumni_survey_url(self):
        # As superuser: the mailing renders for the BDE officer, who does not
        # own the shipped survey's answers.
        user_inputs = (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("bde_alumni_campaign_id", "!=", False),
                    ("state", "!=", "done"),
                ],
                order="create_date desc, id desc",
            )
        )
        latest = {}
        for user_input in user_inputs:
            latest.setdefault(user_input.partner_id.id, user_input)
        for partner in self:
            user_input = latest.get(partner.id)
            partner.bde_alumni_survey_url = (
                user_input.get_base_url() + user_input.get_start_url()
                if user_input
                else False
            )

    # Retention (RGPD): the personal data of an alumni who did not join the
    # network is erased once the retention period of their lycée is over.
    bde_alumni_anonymised = fields.Boolean(
        string="Anonymised", readonly=True, copy=False
    )
    bde_alumni_anonymised_date = fields.Date(
        string="Anonymised on", readonly=True, copy=False
    )

    @api.model
    def _bde_alumni_retention_domain(self, today):
        """Alumni without network consent whose exit date is older than the
        retention period of their lycée (never less than the 24-month
        follow-up)."""
        cutoffs = [
            [
                ("company_id", "=", company.id),
                (
                    "bde_exit_date",
                    "<",
                    self._bde_alumni_retention_cutoff(
                        today, company.bde_alumni_retention_years
                    ),
                ),
            ]
            # every lycée's own period, whichever lycées the caller works in
            for company in self.env["res.company"].sudo().search([])
        ]
        cutoffs.append(
            [
                ("company_id", "=", False),
                (
                    "bde_exit_date",
                    "<",
                    self._bde_alumni_retention_cutoff(today, DEFAULT_RETENTION_YEARS),
                ),
            ]
        )
        return expression.AND(
            [
                [
                    ("bde_is_alumni", "=", True),
                    ("bde_alumni_network_consent", "=", False),
                    ("bde_alumni_anonymised", "=", False),
                ],
                expression.OR(cutoffs),
            ]
        )

    @api.model
    def _bde_alumni_retention_cutoff(self, today, years):
        return today - relativedelta(years=max(years, MIN_RETENTION_YEARS))

    @api.model
    def _cron_bde_alumni_anonymise(self):
        partners = self.with_context(active_test=False)
        domain = partners._bde_alumni_retention_domain(fields.Date.context_today(self))
        alumni = partners.search(domain, limit=ANONYMISE_BATCH_SIZE)
        alumni._bde_alumni_anonymise()
        self.env["ir.cron"]._notify_progress(
            done=len(alumni), remaining=partners.search_count(domain)
        )

    def _bde_alumni_anonymise(self):
        """Erase what identifies these alumni and archive them. Their lycée,
        exit class, formation and year, diploma and the statuses of their
        situations stay: the insertion indicators keep counting them."""
        if not self:
            return
        today = fields.Date.context_today(self)
        self._bde_alumni_close_accounts()
        # active_test: archiving checks that no active user is left, and the
        # cron searches archived alumni too.
        for partner in self.with_context(active_test=True, tracking_disable=True):
            partner.write(partner._bde_alumni_prepare_anonymised_values(today))
        self.bde_alumni_situation_ids.write(
            {"job_title": False, "study_formation": False, "note": False}
        )
        # The mailing contacts hold the name and e-mail (opted-out ones are
        # kept by the list sync); the chatter holds e-mails and notes.
        self.env["mailing.contact"].sudo().search(
            [("bde_partner_id", "in", self.ids)]
        ).unlink()
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        # Survey answers hold the e-mail and free text (employer, job): the
        # answer records stay, empty, so that campaigns keep their answer rate.
        inputs = (
            self.env["survey.user_input"]
            .sudo()
            .search([("partner_id", "in", self.ids)])
        )
        inputs.user_input_line_ids.unlink()
        inputs.write({"partner_id": False, "email": False, "nickname": False})
        for partner in self:
            partner.message_post(
                body=self.env._(
                    "Personal data anonymised: the retention period of alumni "
                    "data without network consent is over."
                )
            )

    def _bde_alumni_close_accounts(self):
        """Archive the portal accounts of these alumni, whose login is their
        e-mail (an active user's contact cannot be archived)."""
        users_sudo = (
            self.env["res.users"].sudo().search([("partner_id", "in", self.ids)])
        )
        for user_sudo in users_sudo:
            user_sudo.write(
                {"active": False, "login": f"anonymised-alumni-{user_sudo.id}"}
            )

    def _bde_alumni_prepare_anonymised_values(self, today):
        self.ensure_one()
        return {
            "name": self.env._("Anonymised alumni %(id)s", id=self.id),
            "active": False,
            "bde_alumni_anonymised": True,
            "bde_alumni_anonymised_date": today,
            **dict.fromkeys(
                [
                    "email",
                    "phone",
                    "mobile",
                    "website",
                    "street",
                    "street2",
                    "zip",
                    "city",
                    "state_id",
                    "function",
                    "title",
                    "ref",
                    "comment",
                    "image_1920",
                    "bde_birthdate",
                    "bde_ine",
                    "bde_legal_guardian_id",
                    "bde_alumni_contact_consent",
                    "bde_alumni_contact_consent_date",
                    "bde_alumni_contact_consent_source",
                    "bde_alumni_willing_tutor",
                    "bde_alumni_willing_speaker",
                    "bde_alumni_willing_jury",
                    "bde_alumni_willing_mentor",
                ],
                False,
            ),
        }

    def mail_allowed_qweb_expressions(self):
        # BDE officers are not mail template editors: let them render the
        # personal survey link of the follow-up campaigns.
        return (
            *super().mail_allowed_qweb_expressions(),
            "object.bde_alumni_survey_url",
        )
