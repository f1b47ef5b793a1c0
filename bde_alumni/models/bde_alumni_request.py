import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from odoo.addons.bde_lycee.school_year import school_year_bounds

from .bde_alumni_situation import CONTRACT_TYPES, STATUSES

# A confirmation link older than this is refused: the visitor sends the form
# again, so a forgotten mail in a shared mailbox cannot be used weeks later.
REQUEST_VALIDITY_DAYS = 7


class BdeAlumniRequest(models.Model):
    """What an alumni typed on the public alumni page, kept apart until they
    confirm it from their mailbox (double opt-in): nothing is written on the
    address book before that. A request about an alumni the lycée knows is
    confirmed from the mailbox the lycée knows, never from an address typed
    on the page: knowing someone's name and birth date is not enough to
    change their consents."""

    _name = "bde.alumni.request"
    _description = "Alumni page request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    email = fields.Char(string="E-mail", required=True)
    request_type = fields.Selection(
        [("update", "Situation update"), ("withdraw", "Consent withdrawal")],
        string="Request",
        required=True,
        default="update",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("confirmed", "Confirmed"), ("expired", "Expired")],
        required=True,
        default="pending",
        tracking=True,
    )
    token = fields.Char(
        required=True,
        copy=False,
        index=True,
        default=lambda self: secrets.token_urlsafe(32),
        # The secret of the confirmation link: the BDE has no use for it.
        groups="base.group_system",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        default=lambda self: self.env.company,
    )
    date_confirmed = fields.Datetime(
        string="Confirmed on", readonly=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Alumni",
        readonly=True,
        check_company=True,
        help="The alumni the request is about: the known alumni it matched when "
        "it was sent, or the one created when it was confirmed.",
    )
    confirmation_email = fields.Char(
        string="Confirmation sent to",
        readonly=True,
        help="The address the confirmation link went to: the address the lycée "
        "knows for a known alumni, the one typed for anyone else.",
    )
    to_review = fields.Boolean(
        string="To review",
        readonly=True,
        tracking=True,
        help="The BDE checks this request: either it matched a known alumni "
        "whose e-mail address the lycée does not know, and waits for the BDE to "
        "apply it; or it matched no alumni, and the new alumni it created is "
        "checked (merge with a known record, exit class).",
    )

    # Identity given for the matching
    birthdate = fields.Date(string="Birth date")
    exit_year = fields.Integer(string="Exit year")
    formation_id = fields.Many2one("bde.formation", string="Formation")

    # Situation declared
    status = fields.Selection(STATUSES)
    contract_type = fields.Selection(CONTRACT_TYPES)
    employer_name = fields.Char(string="Employer")
    job_title = fields.Char(string="Job")
    study_formation = fields.Char(string="Formation followed")

    # Consents and willingness
    network_consent = fields.Boolean(string="Joins the alumni network")
    contact_consent = fields.Boolean(string="Agrees to be contacted")
    willing_tutor = fields.Boolean(string="Willing to be a tutor")
    willing_speaker = fields.Boolean(string="Willing to speak at a forum")
    willing_jury = fields.Boolean(string="Willing to sit on a jury")
    willing_mentor = fields.Boolean(string="Willing to mentor a student")

    _sql_constraints = [
        ("token_uniq", "unique (token)", "The confirmation token must be unique."),
    ]

    @api.constrains("confirmation_email", "state")
    def _check_one_pending_per_address(self):
        """One link at a time waits in a mailbox: the page cannot be used to
        flood someone's mailbox with the lycée's mails."""
        for request in self.filtered(
            lambda request: request.state == "pending" and request.confirmation_email
        ):
            if self.search_count(
                [
                    ("id", "!=", request.id),
                    ("confirmation_email", "=", request.confirmation_email),
                ]
                + self._pending_domain(),
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "A confirmation link for this request is already waiting "
                        "in a mailbox. Follow it, or send the form again once it "
                        "has expired, after %(days)s days.",
                        days=REQUEST_VALIDITY_DAYS,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("email"):
                vals["email"] = vals["email"].strip()
        return super().create(vals_list)

    def action_apply(self):
        """Apply a request the BDE has checked: one about a known alumni whose
        e-mail address the lycée does not know, so no link could confirm it."""
        for request in self:
            if not (request.to_review and request._confirm()):
                raise UserError(
                    self.env._(
                        "The request of %(name)s is not waiting for a review.",
                        name=request.name,
                    )
                )

    # Sending: where the request is confirmed

    @api.model
    def _submit(self, values):
        """Record a request sent from the alumni page and ask for its
        confirmation; the caller runs it in a savepoint, as a second pending
        request for the same mailbox is refused."""
        request = self.create(values)
        request._ask_confirmation()
        return request

    def _ask_confirmation(self):
        """A withdrawal, or an update from someone the lycée does not know, is
        confirmed at the address typed. An update of a known alumni is
        confirmed at the alumni's known address, whatever was typed, or put to
        the BDE's review when the lycée knows no address for them."""
        for request in self:
            alumni = request.request_type == "update" and request._find_alumni()
            if alumni:
                request.partner_id = alumni
                if not alumni.email_normalized:
                    request._put_to_review()
                    continue
                request.confirmation_email = alumni.email_normalized
            else:
                request.confirmation_email = email_normalize(request.email)
            request._send_confirmation_mail()

    def _put_to_review(self):
        self.to_review = True
        manager = self.company_id.bde_manager_id
        if not manager:
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=self.env._("Check the alumni page request before applying it"),
            note=self.env._(
                "This request is about %(alumni)s, whose e-mail address the lycée "
                "does not know: no confirmation link could be sent. Make sure "
                "%(alumni)s sent it, then apply it.",
                alumni=self.partner_id.name,
            ),
        )

    # Confirmation mail

    def _get_confirmation_url(self):
        self.ensure_one()
        # sudo: the token is hidden from the BDE's users; only the mail that
        # carries the link to the visitor reads it.
        return f"{self.get_base_url()}/bde/alumni/confirm/{self.sudo().token}"

    def _send_confirmation_mail(self):
        template = self.env.ref("bde_alumni.mail_template_bde_alumni_request_confirm")
        for request in self:
            template.send_mail(
                request.id,
                email_layout_xmlid="mail.mail_notification_light",
                # The recipient is decided above, not by the template, which
                # the BDE may edit.
                email_values={"email_to": request.confirmation_email},
            )

    # Confirmation

    @api.model
    def _pending_domain(self):
        """Requests still waiting for their link: pending and recent. A request
        to review waits for the BDE, not for a link, and does not expire."""
        limit = fields.Datetime.now() - timedelta(days=REQUEST_VALIDITY_DAYS)
        return [
            ("state", "=", "pending"),
            ("to_review", "=", False),
            ("create_date", ">=", limit),
        ]

    def _is_expired(self):
        self.ensure_one()
        limit = fields.Datetime.now() - timedelta(days=REQUEST_VALIDITY_DAYS)
        return self.state == "expired" or (
            self.state == "pending" and not self.to_review and self.create_date < limit
        )

    def _confirm(self):
        """Apply the request once; returns False when the link is no longer
        valid (used, or too old)."""
        self.ensure_one()
        if self._is_expired():
            self.state = "expired"
            return False
        if self.state != "pending":
            return False
        if self.request_type == "withdraw":
            self._apply_withdrawal()
        else:
            self._apply_update()
        self.write({"state": "confirmed", "date_confirmed": fields.Datetime.now()})
        return True

    def _apply_withdrawal(self):
        alumni = self._find_alumni_by_email()
        alumni.action_bde_alumni_withdraw_consent()
        self.partner_id = alumni[:1]

    def _apply_update(self):
        alumni = self._match_or_create_alumni()
        self.partner_id = alumni
        # A situation counts from the exit: someone who has not left yet
        # (exit date ahead) only updates their consents and willingness.
        if alumni.bde_exit_date <= fields.Date.context_today(self):
            self.env["bde.alumni.situation"].create(self._prepare_situation_values())
        alumni._bde_alumni_give_consent(
            network=self.network_consent,
            contact=self.contact_consent,
            source="website",
        )
        alumni.write(
            {
                "bde_alumni_willing_tutor": self.willing_tutor,
                "bde_alumni_willing_speaker": self.willing_speaker,
                "bde_alumni_willing_jury": self.willing_jury,
                "bde_alumni_willing_mentor": self.willing_mentor,
            }
        )

    def _match_or_create_alumni(self):
        alumni = self.partner_id
        if not alumni:
            alumni = self._create_alumni()
            self.to_review = True
            self._notify_bde_manager(alumni)
            return alumni
        if not alumni.email:
            alumni.email = self.email
        if not alumni.bde_exit_date:
            alumni.bde_exit_date = self._exit_date_of(
                alumni.bde_exit_year or self.exit_year
            )
        return alumni

    def _alumni_domain(self):
        """Only the alumni of the request's lycée: a request never reaches the
        records of another lycée of the network."""
        return [("bde_is_alumni", "=", True), ("company_id", "=", self.company_id.id)]

    def _find_alumni_by_email(self):
        email = email_normalize(self.email)
        if not email:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            self._alumni_domain() + [("email_normalized", "=", email)]
        )

    def _find_alumni(self):
        """The one alumni this person is: by e-mail, else by name and birth
        date. Several candidates are left to the BDE to sort out."""
        alumni = self._find_alumni_by_email()
        if not alumni and self.birthdate:
            alumni = self.env["res.partner"].search(
                self._alumni_domain()
                + [
                    ("name", "=ilike", self.name.strip()),
                    ("bde_birthdate", "=", self.birthdate),
                ]
            )
        return alumni if len(alumni) == 1 else self.env["res.partner"]

    def _exit_date_of(self, exit_year):
        """Months after exit count from the end of the exit year's school
        year, as for a graduated class; the BDE corrects it on review."""
        year_end = school_year_bounds(f"{exit_year - 1}-{exit_year}")[1]
        return min(year_end, fields.Date.context_today(self))

    def _create_alumni(self):
        return self.env["res.partner"].create(
            {
                "name": self.name,
                "email": self.email,
                "company_id": self.company_id.id,
                "bde_birthdate": self.birthdate,
                "bde_is_alumni": True,
                "bde_exit_year": self.exit_year,
                "bde_exit_date": self._exit_date_of(self.exit_year),
                "bde_exit_formation_id": self.formation_id.id,
            }
        )

    def _notify_bde_manager(self, alumni):
        manager = self.company_id.bde_manager_id
        if not manager:
            return
        alumni.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=self.env._("Check the alumni who signed up on the website"),
            note=self.env._(
                "%(name)s signed up on the alumni page and matched no alumni of "
                "the lycée: check the record (duplicate, exit class).",
                name=self.name,
            ),
        )

    def _prepare_situation_values(self):
        employed = self.status == "employed"
        return {
            "partner_id": self.partner_id.id,
            "date": fields.Date.context_today(self),
            "status": self.status or "unknown",
            "contract_type": employed and self.contract_type,
            "employer_name": employed and self.employer_name,
            "job_title": employed and self.job_title,
            "study_formation": self.status == "studies" and self.study_formation,
            "source": "self",
        }

    @api.model
    def _cron_expire(self):
        limit = fields.Datetime.now() - timedelta(days=REQUEST_VALIDITY_DAYS)
        self.search(
            [
                ("state", "=", "pending"),
                ("to_review", "=", False),
                ("create_date", "<", limit),
            ]
        ).write({"state": "expired"})
