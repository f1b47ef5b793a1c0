import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import consteq, format_date

from odoo.addons.bde_lycee.school_year import is_school_year, school_year_of

from .bde_pfmp_placement import ENDED_STATES

# A company that hosted a student in the last two school years is asked again.
CENSUS_PAST_SCHOOL_YEARS = 2
# Places a host may confirm for one formation on the census page: more is a
# typing mistake (or an attack), never a real offer to one lycée.
MAX_CENSUS_PLACES = 999


class BdePfmpCensusCampaign(models.Model):
    """The yearly census of the host sites: every host company is asked by
    mail to confirm the places it offers the lycée, per formation, on a small
    page reached through a personal link; its answers update the offers."""

    _name = "bde.pfmp.census.campaign"
    _description = "Host-site census campaign"
    _inherit = ["bde.campaign.mailing.mixin"]
    _order = "school_year desc, id desc"
    _recipient_field = "request_ids"
    _recipient_state_to_send = "draft"

    school_year = fields.Char(
        required=True,
        tracking=True,
        default=lambda self: self._default_school_year(),
        help="School year whose places are asked, e.g. 2026-2027.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
    )
    date_deadline = fields.Date(
        string="Answer by", tracking=True, help="Given in the request mail."
    )
    user_id = fields.Many2one(
        "res.users",
        string="BDE contact",
        default=lambda self: self.env.user,
        tracking=True,
        help="Person named in the request mail as the hosts' contact.",
    )
    request_ids = fields.One2many(
        "bde.pfmp.census.request", "campaign_id", string="Hosts asked"
    )
    offer_ids = fields.One2many(
        "bde.pfmp.host.offer", compute="_compute_offer_ids", string="Offers"
    )

    # Counters
    asked_count = fields.Integer(string="Asked", compute="_compute_counters")
    answered_count = fields.Integer(string="Answered", compute="_compute_counters")
    places_confirmed = fields.Integer(
        string="Places confirmed",
        compute="_compute_counters",
        help="Places of the confirmed offers of the school year.",
    )

    _sql_constraints = [
        (
            "school_year_company_uniq",
            "unique (school_year, company_id)",
            "This lycée already has a host-site census for this school year.",
        ),
    ]

    @api.model
    def _default_school_year(self):
        """The census prepares the next school year from January on."""
        today = fields.Date.context_today(self)
        current = school_year_of(today)
        if today.month < 9:
            start = int(current[:4]) + 1
            return f"{start}-{start + 1}"
        return current

    @api.depends("school_year")
    def _compute_name(self):
        for campaign in self:
            campaign.name = self.env._(
                "Host-site census %(year)s", year=campaign.school_year or ""
            )

    @api.constrains("school_year")
    def _check_school_year(self):
        for campaign in self:
            if not is_school_year(campaign.school_year):
                raise ValidationError(
                    self.env._(
                        "The school year %(year)s must read like 2026-2027.",
                        year=campaign.school_year,
                    )
                )

    def _offer_domain(self):
        self.ensure_one()
        return [
            ("school_year", "=", self.school_year),
            ("company_id", "=", self.company_id.id),
        ]

    def _compute_offer_ids(self):
        for campaign in self:
            campaign.offer_ids = self.env["bde.pfmp.host.offer"].search(
                campaign._offer_domain()
            )

    @api.depends("request_ids.state")
    def _compute_counters(self):
        for campaign in self:
            requests = campaign.request_ids
            campaign.asked_count = len(requests.filtered(lambda r: r.state != "draft"))
            campaign.answered_count = len(
                requests.filtered(lambda r: r.state == "answered")
            )
            campaign.places_confirmed = sum(
                campaign.offer_ids.filtered(lambda o: o.state == "confirmed").mapped(
                    "places"
                )
            )

    # Hosts to ask
    def _get_default_host_partners(self):
        """Companies that hosted a placement of the lycée in the last two
        school years, or that have an offer for it. As superuser: the count of
        past hosts must not depend on the placements the user may read."""
        self.ensure_one()
        start = int(self.school_year[:4])
        years = [
            f"{year}-{year + 1}"
            for year in range(start - CENSUS_PAST_SCHOOL_YEARS, start + 1)
        ]
        groups = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("school_year", "in", years),
                    ("state", "in", [*ENDED_STATES, "signed", "in_progress"]),
                    ("partner_id", "!=", False),
                ],
                ["partner_id"],
            )
        )
        offers = self.env["bde.pfmp.host.offer"].search(
            [("company_id", "=", self.company_id.id), ("school_year", "in", years)]
        )
        partners = self.env["res.partner"].browse(p.id for (p,) in groups)
        return (partners | offers.partner_id).commercial_partner_id

    def action_add_hosts(self):
        """Ask every default host that is not asked yet; clicking again adds
        only the newcomers."""
        return self._add_recipients(self._get_default_host_partners())

    def action_send(self):
        """Mail every host not asked yet, with its personal link."""
        self._get_recipients_to_send()._send()
        self.state = "sent"

    def _get_recipients_added_message(self, count):
        return self.env._("%(count)s hosts added to the census.", count=count)

    def _get_nobody_to_send_message(self):
        return self.env._("No host of %(name)s is left to ask.", name=self.name)

    def action_close(self):
        self.state = "closed"

    def action_draft(self):
        self.state = "draft"

    def action_view_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_host_offer_action"
        )
        action["domain"] = self._offer_domain()
        action["context"] = {
            "default_school_year": self.school_year,
            "default_company_id": self.company_id.id,
        }
        return action


class BdePfmpCensusRequest(models.Model):
    """One host asked in a census campaign, with the secret token of its
    personal link: whoever holds the link answers for the host."""

    _name = "bde.pfmp.census.request"
    _description = "Host asked in a census"
    _order = "campaign_id, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "bde.pfmp.census.campaign", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", string="Lycée", store=True
    )
    school_year = fields.Char(related="campaign_id.school_year")
    partner_id = fields.Many2one(
        "res.partner",
        string="Host",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
    )
    email = fields.Char(related="partner_id.email")
    access_token = fields.Char(
        required=True,
        copy=False,
        default=lambda self: str(uuid.uuid4()),
        groups="bde_lycee.group_bde_officer",
    )
    state = fields.Selection(
        [("draft", "To ask"), ("sent", "Asked"), ("answered", "Answered")],
        required=True,
        default="draft",
    )
    date_sent = fields.Date(string="Asked on", readonly=True, copy=False)
    date_answered = fields.Date(string="Answered on", readonly=True, copy=False)
    offer_ids = fields.One2many(
        "bde.pfmp.host.offer", compute="_compute_offer_ids", string="Offers"
    )

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique (campaign_id, partner_id)",
            "This host is already asked in this census.",
        ),
    ]

    def _compute_offer_ids(self):
        for request in self:
            request.offer_ids = self.env["bde.pfmp.host.offer"].search(
                request._offer_domain()
            )

    def _offer_domain(self):
        self.ensure_one()
        return [
            *self.campaign_id._offer_domain(),
            ("partner_id", "=", self.partner_id.id),
        ]

    def _check_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self.sudo().access_token, token)

    def get_census_url(self):
        self.ensure_one()
        base_url = self.campaign_id.get_base_url()
        return f"{base_url}/bde/census/{self.id}/{self.sudo().access_token}"

    def _prepare_missing_offers(self):
        """A host asked for the first time this year gets offers to confirm,
        copied from its latest offer of each formation to the lycée, or from
        the formations of the students it hosted."""
        offers = self.env["bde.pfmp.host.offer"]
        vals_list = []
        for request in self.filtered(lambda r: not r.offer_ids):
            campaign = request.campaign_id
            previous = offers.search(
                [
                    ("partner_id", "=", request.partner_id.id),
                    ("company_id", "=", campaign.company_id.id),
                    ("school_year", "<", campaign.school_year),
                ],
                order="school_year desc",
            )
            places = {}
            for offer in previous:
                places.setdefault(offer.formation_id, offer)
            for formation, offer in places.items():
                vals_list.append(
                    {
                        **request._prepare_offer_values(formation),
                        "places": offer.places,
                        "accepts_minors": offer.accepts_minors,
                        "site_id": offer.site_id.id,
                        "tutor_ids": offer.tutor_ids.ids,
                    }
                )
            if not places:
                vals_list += [
                    request._prepare_offer_values(formation)
                    for formation in request._hosted_formations()
                ]
        offers.create(vals_list)
        # The offers of a request and its campaign are searched, not stored.
        self.invalidate_recordset(["offer_ids"])
        self.campaign_id.invalidate_recordset(["offer_ids"])

    def _prepare_offer_values(self, formation):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "school_year": self.school_year,
            "formation_id": formation.id,
            "accepts_minors": self.partner_id.bde_accepts_minors,
            "state": "to_confirm",
        }

    def _hosted_formations(self):
        """Formations of the lycée's students this host took, as superuser:
        only the formation is read, nothing nominative."""
        self.ensure_one()
        placements_sudo = (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "!=", "cancelled"),
                ]
            )
        )
        return placements_sudo.class_id.formation_id

    def _send(self):
        self._prepare_missing_offers()
        template = self.env.ref("bde_pfmp.mail_template_census_request")
        for request in self:
            if not request.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(host)s has no e-mail address: add one or remove the "
                        "host from the census.",
                        host=request.partner_id.name,
                    )
                )
        for request in self:
            template.send_mail(request.id)
        self.write({"state": "sent", "date_sent": fields.Date.context_today(self)})

    def _record_answer(self, answers, accepts_minors):
        """The host's answer from its census page: ``answers`` maps each of its
        offers to the places it confirms (0 declines the offer).

        A request is answered once: its link then shows the answer, and the
        BDE changes it if the host asks."""
        self.ensure_one()
        self._lock_for_answer()
        self._check_answer(answers)
        lines = []
        for offer, places in answers.items():
            if places > 0:
                offer._record_answer(
                    "confirmed", {"places": places, "accepts_minors": accepts_minors}
                )
            else:
                offer._record_answer("declined", {"accepts_minors": accepts_minors})
            lines.append(
                self.env._(
                    "%(formation)s: %(places)s places",
                    formation=offer.formation_id.name,
                    places=places,
                )
            )
        self.partner_id.bde_accepts_minors = accepts_minors
        self.write(
            {"state": "answered", "date_answered": fields.Date.context_today(self)}
        )
        self.campaign_id.message_post(
            body=self.env._(
                "%(host)s answered the census: %(lines)s; minors %(minors)s.",
                host=self.partner_id.name,
                lines=", ".join(lines) or self.env._("no offer"),
                minors=self.env._("accepted")
                if accepts_minors
                else self.env._("not accepted"),
            ),
            author_id=self.partner_id.id,
        )

    def _lock_for_answer(self):
        """Lock the request, then check it still awaits its answer: two posts
        of one link at the same time record one answer, the other is refused."""
        self.env.cr.execute(
            "SELECT state FROM bde_pfmp_census_request WHERE id = %s FOR UPDATE",
            [self.id],
        )
        self.invalidate_recordset(["state"])
        if self.state == "answered":
            raise UserError(
                self.env._(
                    "This census was answered on %(date)s: contact the BDE to "
                    "change the answer.",
                    date=format_date(self.env, self.date_answered),
                )
            )
        if self.campaign_id.state != "sent":
            raise UserError(self.env._("This census is closed."))

    def _check_answer(self, answers):
        foreign = [offer for offer in answers if offer not in self.offer_ids]
        wrong = [
            offer
            for offer, places in answers.items()
            if not isinstance(places, int) or not 0 <= places <= MAX_CENSUS_PLACES
        ]
        if foreign or wrong:
            raise UserError(
                self.env._(
                    "The places of %(formations)s must be a whole number from 0 "
                    "to %(max)s, for the offers of this host only.",
                    formations=", ".join(
                        offer.formation_id.name or "" for offer in foreign + wrong
                    ),
                    max=MAX_CENSUS_PLACES,
                )
            )
