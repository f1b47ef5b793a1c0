from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import escape_psql

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
        if contact:
            self._bde_alumni_stop_mailings()

    def _bde_alumni_stop_mailings(self):
        """Without consent to be contacted, no mail of the lycée reaches the
        person any more: the mass mailings already queued for them (survey
        campaigns and their reminders, invitations, news) are cancelled, and
        they leave the lists nobody keeps in sync (the synced alumni list
        follows the consent). Mailings sent later skip them
        (mailing.mailing._get_recipients_domain). As superuser: the person
        withdraws from a public page or a mailing's footer."""
        emails = self._bde_own_emails()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                expression.AND(
                    [
                        [
                            ("state", "in", ["outgoing", "exception"]),
                            ("mailing_id", "!=", False),
                        ],
                        expression.OR(
                            [
                                [("recipient_ids", "in", self.ids)],
                                self._bde_email_domain("email_to", emails),
                            ]
                        ),
                    ]
                )
            )
        )
        mails.mailing_trace_ids.set_canceled()
        mails.cancel()
        self.env["mailing.subscription"].sudo().search(
            [
                ("opt_out", "=", False),
                ("list_id.bde_sync_rule", "=", False),
                "|",
                ("contact_id.bde_partner_id", "in", self.ids),
                ("contact_id.email_normalized", "in", emails),
            ]
        ).write({"opt_out": True})

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
        """Erase these alumni from every store of
        ``_bde_personal_data_stores`` and archive them. Their lycée, exit
        class, formation and year, diploma and the statuses of their
        situations stay: the insertion indicators keep counting them. The
        files of the deleted attachments leave the filestore at its next
        garbage collection (ir.autovacuum, daily), once no row refers to
        them."""
        if not self:
            return
        for model, domain, values in self._bde_personal_data_stores():
            records = (
                self.env[model].sudo().with_context(active_test=False).search(domain)
            )
            # active_test: archiving a partner checks that no active user is
            # left; tracking_disable: a tracked change would copy the erased
            # value into the chatter again.
            records = records.with_context(active_test=True, tracking_disable=True)
            if values is None:
                records.unlink()
            elif callable(values):
                for record in records:
                    record.write(values(record))
            else:
                records.write(values)
        for partner in self:
            partner.message_post(
                body=self.env._(
                    "Personal data anonymised: the retention period of alumni "
                    "data without network consent is over."
                )
            )

    def _bde_personal_data_stores(self):
        """Every store that the suite and the flows it drives (alumni page,
        follow-up surveys, mailings, events, CRM, portal, PFMP) write these
        persons' data to, in one list, in the order the anonymisation erases
        them. Each entry is ``(model, domain, values)``: ``values`` is written
        on the records found (a dict, or a function of the record giving
        one), ``None`` deletes them. Records that counts or the lycée's
        history need stay, without what identifies the person."""
        ids = self.ids
        emails = self._bde_own_emails()
        owned = self._bde_personal_records(emails)
        owned_domain = self._bde_personal_record_domain(owned)
        return [
            # the portal account: its login is the e-mail, the signature the name
            (
                "res.users",
                [("partner_id", "in", ids)],
                lambda user: {
                    "active": False,
                    "login": f"anonymised-alumni-{user.id}",
                    "signature": False,
                },
            ),
            # what the person typed on the alumni page, with the mails it sent
            ("bde.alumni.request", [("id", "in", owned["bde.alumni.request"])], None),
            # e-mails to them, queued or kept (mass mailings, confirmations)
            (
                "mail.mail",
                expression.OR(
                    [
                        [("recipient_ids", "in", ids)],
                        self._bde_email_domain("email_to", emails),
                        self._bde_email_domain("email_cc", emails),
                    ]
                ),
                None,
            ),
            # the chatter of their records, and messages they sent or received
            (
                "mail.message",
                expression.OR(
                    [
                        owned_domain("model", "res_id"),
                        [("author_id", "in", ids)],
                        [("partner_ids", "in", ids)],
                        self._bde_email_domain("email_from", emails),
                    ]
                ),
                None,
            ),
            ("mail.notification", [("res_partner_id", "in", ids)], None),
            ("mail.followers", [("partner_id", "in", ids)], None),
            ("mail.activity", owned_domain("res_model", "res_id"), None),
            # their name, copied by the tracking of a field pointing to them
            (
                "mail.tracking.value",
                [
                    ("field_id.relation", "=", "res.partner"),
                    ("old_value_integer", "in", ids),
                ],
                {"old_value_char": False},
            ),
            (
                "mail.tracking.value",
                [
                    ("field_id.relation", "=", "res.partner"),
                    ("new_value_integer", "in", ids),
                ],
                {"new_value_char": False},
            ),
            # their conventions and amendments signed online: the signatures
            # drawn, where and from which address they were given go (the
            # signed PDF is an attachment of the request, below); the
            # signers' rows stay, sign_oca chains its integrity hashes
            # through them
            (
                "sign.oca.request.log",
                [("request_id", "in", owned["sign.oca.request"])],
                {"ip": False, "access_token": False},
            ),
            (
                "sign.oca.request.signer",
                [("request_id", "in", owned["sign.oca.request"])],
                {"latitude": 0.0, "longitude": 0.0, "access_token": False},
            ),
            (
                "sign.oca.request",
                [("id", "in", owned["sign.oca.request"])],
                lambda request: {
                    "name": self.env._("Erased at the end of the retention period"),
                    "filename": False,
                    "signatory_data": {
                        key: dict(item, value=False)
                        for key, item in (request.signatory_data or {}).items()
                    },
                },
            ),
            # files: a CV on the partner, scans and documents of placements,
            # binary fields included (res_field)
            (
                "ir.attachment",
                expression.AND(
                    [
                        owned_domain("res_model", "res_id"),
                        ["|", ("res_field", "=", False), ("res_field", "!=", False)],
                    ]
                ),
                None,
            ),
            # the mailings' statistics stay, without the address
            (
                "mailing.trace",
                expression.OR(
                    [
                        owned_domain("model", "res_id"),
                        [("email", "in", emails)],
                    ]
                ),
                {"email": False, "failure_reason": False},
            ),
            ("mailing.contact", [("id", "in", owned["mailing.contact"])], None),
            ("mail.blacklist", [("email", "in", emails)], None),
            # survey answers stay, empty, for the campaigns' answer rate
            (
                "survey.user_input.line",
                [("user_input_id", "in", owned["survey.user_input"])],
                None,
            ),
            (
                "survey.user_input",
                [("id", "in", owned["survey.user_input"])],
                {"partner_id": False, "email": False, "nickname": False},
            ),
            # event registrations stay, anonymous, for the attendance counts
            (
                "event.registration.answer",
                [("registration_id", "in", owned["event.registration"])],
                None,
            ),
            (
                "event.registration",
                [("id", "in", owned["event.registration"])],
                {
                    "name": False,
                    "email": False,
                    "phone": False,
                    "company_name": False,
                    "registration_properties": False,
                },
            ),
            # leads of the BDE page's form: the company stays, not the person
            (
                "crm.lead",
                expression.OR(
                    [[("partner_id", "in", ids)], [("email_normalized", "in", emails)]]
                ),
                dict.fromkeys(
                    [
                        "contact_name",
                        "email_from",
                        "email_cc",
                        "phone",
                        "mobile",
                        "function",
                        "title",
                        "website",
                        "street",
                        "street2",
                        "zip",
                        "city",
                        "description",
                    ],
                    False,
                ),
            ),
            (
                "bde.alumni.situation",
                [("id", "in", owned["bde.alumni.situation"])],
                dict.fromkeys(
                    ["job_title", "employer_name", "study_formation", "note"], False
                ),
            ),
            # the placements of their school years stay for the lycée's
            # figures; the free text about the person goes
            (
                "bde.pfmp.placement",
                [("id", "in", owned["bde.pfmp.placement"])],
                {"stop_reason": False, "tutor_evaluation": False},
            ),
            (
                "bde.pfmp.visit",
                [("id", "in", owned["bde.pfmp.visit"])],
                dict.fromkeys(
                    [
                        "report",
                        "met_others",
                        "activities_done",
                        "behaviour",
                        "skills_observed",
                        "followup_actions",
                    ],
                    False,
                ),
            ),
            # the tutor's skills evaluations: the levels and comments go, the
            # evaluation stays (done or not) for the lycée's figures
            (
                "survey.user_input.line",
                [
                    (
                        "user_input_id.bde_pfmp_placement_id",
                        "in",
                        owned["bde.pfmp.placement"],
                    )
                ],
                None,
            ),
            (
                "bde.pfmp.incident",
                [("id", "in", owned["bde.pfmp.incident"])],
                {
                    "description": self.env._(
                        "Erased at the end of the retention period."
                    ),
                    "action_taken": False,
                },
            ),
            # why they were absent: the days stay for the days done
            (
                "bde.pfmp.absence",
                [("id", "in", owned["bde.pfmp.absence"])],
                {"reason": "other", "note": False},
            ),
            (
                "bde.pfmp.search.step",
                [("id", "in", owned["bde.pfmp.search.step"])],
                {"note": False},
            ),
            (
                "bde.host.rating",
                [("id", "in", owned["bde.host.rating"])],
                {"comment": False},
            ),
            ("website.visitor", [("partner_id", "in", ids)], None),
            # the parent who signed for them as a minor, guardian of no one else
            (
                "res.partner",
                [("id", "in", self._bde_own_guardians().ids)],
                lambda guardian: guardian._bde_prepare_erased_guardian_values(),
            ),
            (
                "res.partner",
                [("id", "in", ids)],
                lambda partner: partner._bde_alumni_prepare_anonymised_values(
                    fields.Date.context_today(partner)
                ),
            ),
        ]

    def _bde_own_emails(self):
        """The addresses of these persons that no other contact holds. An
        address another contact still holds (the same person known to another
        lycée, a tutor's record) is not searched for: what reached it belongs
        to that other record as much."""
        emails = {email for email in self.mapped("email_normalized") if email}
        others = (
            self.with_context(active_test=False)
            .sudo()
            .search(
                [("email_normalized", "in", list(emails)), ("id", "not in", self.ids)]
            )
        )
        return sorted(emails - set(others.mapped("email_normalized")))

    def _bde_personal_records(self, emails):
        """Ids of the records about these persons, per model: the
        anonymisation erases their chatter, activities and attachments too."""
        ids = self.ids

        def search(model, domain):
            return self.env[model].sudo().with_context(active_test=False).search(domain)

        placements = search("bde.pfmp.placement", [("student_id", "in", ids)])
        amendments = search(
            "bde.pfmp.amendment", [("placement_id", "in", placements.ids)]
        )
        signed_documents = [f"{record._name},{record.id}" for record in placements] + [
            f"{record._name},{record.id}" for record in amendments
        ]
        records = {
            "res.partner": self,
            "bde.alumni.request": search(
                "bde.alumni.request",
                expression.OR(
                    [
                        [("partner_id", "in", ids)],
                        self._bde_email_domain("email", emails),
                    ]
                ),
            ),
            "bde.alumni.situation": search(
                "bde.alumni.situation", [("partner_id", "in", ids)]
            ),
            "survey.user_input": search(
                "survey.user_input",
                expression.OR(
                    [
                        [("partner_id", "in", ids)],
                        self._bde_email_domain("email", emails),
                    ]
                ),
            ),
            "event.registration": search(
                "event.registration",
                expression.OR(
                    [
                        [("partner_id", "in", ids)],
                        self._bde_email_domain("email", emails),
                    ]
                ),
            ),
            "mailing.contact": search(
                "mailing.contact",
                expression.OR(
                    [
                        [("bde_partner_id", "in", ids)],
                        [("email_normalized", "in", emails)],
                    ]
                ),
            ),
            "bde.pfmp.placement": placements,
            "bde.pfmp.amendment": amendments,
            "sign.oca.request": search(
                "sign.oca.request", [("record_ref", "in", signed_documents)]
            ),
            "bde.pfmp.visit": search(
                "bde.pfmp.visit", [("placement_id", "in", placements.ids)]
            ),
            "bde.pfmp.evaluation": search(
                "bde.pfmp.evaluation", [("placement_id", "in", placements.ids)]
            ),
            "bde.pfmp.incident": search(
                "bde.pfmp.incident", [("placement_id", "in", placements.ids)]
            ),
            "bde.pfmp.absence": search(
                "bde.pfmp.absence", [("placement_id", "in", placements.ids)]
            ),
            "bde.host.rating": search(
                "bde.host.rating", [("placement_id", "in", placements.ids)]
            ),
            "bde.pfmp.search.step": search(
                "bde.pfmp.search.step", [("student_id", "in", ids)]
            ),
        }
        return {model: recs.ids for model, recs in records.items()}

    @api.model
    def _bde_personal_record_domain(self, owned):
        """A function giving the domain of the rows attached to the records
        ``owned`` through a (model, id) pair of fields: messages, activities,
        attachments, mailing traces."""

        def domain(model_field, id_field):
            return expression.OR(
                [
                    [(model_field, "=", model), (id_field, "in", ids)]
                    for model, ids in owned.items()
                    if ids
                ]
            )

        return domain

    @api.model
    def _bde_email_domain(self, field, emails):
        """``field`` holds one of ``emails``, alone or as ``Name <email>``."""
        return expression.OR(
            [[(field, "=ilike", escape_psql(email))] for email in emails]
            + [[(field, "ilike", escape_psql(f"<{email}>"))] for email in emails]
        )

    def _bde_own_guardians(self):
        """The legal guardians of these persons who are nobody else's
        guardian nor a person the lycée deals with for another reason."""
        guardians = self.bde_legal_guardian_id - self
        others = (
            self.with_context(active_test=False)
            .search(
                [
                    ("bde_legal_guardian_id", "in", guardians.ids),
                    ("id", "not in", self.ids),
                ]
            )
            .bde_legal_guardian_id
        )
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", guardians.ids)])
        )
        return (guardians - others - users.partner_id).filtered(
            lambda guardian: (
                not (
                    guardian.is_company
                    or guardian.bde_is_student
                    or guardian.bde_is_alumni
                    or guardian.bde_is_tutor
                )
            )
        )

    def _bde_prepare_erased_guardian_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Anonymised guardian %(id)s", id=self.id),
            "active": False,
            **dict.fromkeys(
                [
                    "email",
                    "phone",
                    "mobile",
                    "street",
                    "street2",
                    "zip",
                    "city",
                    "state_id",
                    "comment",
                    "image_1920",
                ],
                False,
            ),
        }

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
                    # The home's coordinates go with the address.
                    "partner_latitude",
                    "partner_longitude",
                    "date_localization",
                    "function",
                    "title",
                    "ref",
                    "comment",
                    "image_1920",
                    "bde_birthdate",
                    "bde_ine",
                    "bde_legal_guardian_id",
                    # the day SIECLE says the student left, to the day
                    "bde_date_left",
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
