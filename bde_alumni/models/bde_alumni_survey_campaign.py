from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

# What a sent campaign was sent with: the cohort it reached, the survey its
# links open and the date they stop working.
SENT_FROZEN_FIELDS = {
    "company_id",
    "exit_year",
    "formation_ids",
    "months_after_exit",
    "survey_id",
    "deadline",
}


class BdeAlumniSurveyCampaign(models.Model):
    """The insertion survey sent to one cohort at 6 or 12 months after exit:
    one personal link per alumni who agreed to be contacted, a mass mailing,
    reminders and the answer rate."""

    _name = "bde.alumni.survey.campaign"
    _description = "Alumni follow-up campaign"
    # Its recipients are the answers of the survey, made when it is sent.
    _inherit = ["bde.campaign.mailing.mixin"]
    _order = "exit_year desc, months_after_exit, id desc"

    company_id = fields.Many2one(tracking=True)
    exit_year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year - 1,
        help="The cohort surveyed: alumni who left the lycée this calendar year.",
    )
    formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations",
        help="Leave empty to survey every formation of the cohort.",
    )
    months_after_exit = fields.Integer(
        string="Months after exit",
        required=True,
        default=6,
        tracking=True,
        help="Follow-up point the answers count for: 6 or 12 months.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        required=True,
        default=lambda self: self.env.ref(
            "bde_alumni.survey_alumni_insertion", raise_if_not_found=False
        ),
        domain=[("access_mode", "=", "token")],
    )
    deadline = fields.Datetime(
        tracking=True, help="The personal links stop working after this date."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    user_input_ids = fields.One2many(
        "survey.user_input", "bde_alumni_campaign_id", string="Answers"
    )
    mailing_ids = fields.Many2many(
        "mailing.mailing",
        string="Mailings",
        readonly=True,
        copy=False,
        groups="bde_lycee.group_bde_officer",
    )
    mailing_count = fields.Integer(compute="_compute_mailing_count")
    target_count = fields.Integer(
        string="Targets",
        compute="_compute_target_count",
        help="Alumni of the cohort who agreed to be contacted.",
    )
    sent_count = fields.Integer(
        string="Surveys sent", compute="_compute_answer_stats", store=True
    )
    answered_count = fields.Integer(
        string="Answered", compute="_compute_answer_stats", store=True
    )
    answer_rate = fields.Float(
        compute="_compute_answer_stats",
        store=True,
        aggregator=None,
        help="Answered over sent.",
    )

    _sql_constraints = [
        (
            "months_after_exit_check",
            "CHECK(months_after_exit IN (6, 12))",
            "A follow-up campaign is sent at 6 or 12 months after exit.",
        ),
    ]

    @api.depends("exit_year", "months_after_exit")
    def _compute_name(self):
        for campaign in self:
            campaign.name = self.env._(
                "Cohort %(year)s – %(months)s months",
                year=campaign.exit_year,
                months=campaign.months_after_exit,
            )

    def _compute_mailing_count(self):
        for campaign in self:
            # Teachers read the campaign without access to mass mailing.
            campaign.mailing_count = len(campaign.sudo().mailing_ids)

    @api.depends("company_id", "exit_year", "formation_ids")
    def _compute_target_count(self):
        for campaign in self:
            campaign.target_count = len(campaign._get_targets())

    @api.depends("user_input_ids.state")
    def _compute_answer_stats(self):
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("bde_alumni_campaign_id", "in", self.ids)],
                ["bde_alumni_campaign_id", "state"],
                ["__count"],
            )
        )
        sent = dict.fromkeys(self.ids, 0)
        answered = dict.fromkeys(self.ids, 0)
        for campaign, state, count in groups:
            sent[campaign.id] += count
            if state == "done":
                answered[campaign.id] += count
        for campaign in self:
            campaign.sent_count = sent.get(campaign.id, 0)
            campaign.answered_count = answered.get(campaign.id, 0)
            campaign.answer_rate = (
                campaign.answered_count / campaign.sent_count
                if campaign.sent_count
                else 0.0
            )

    def _get_targets(self):
        """Alumni of the cohort who agreed to be contacted, never others."""
        self.ensure_one()
        domain = [
            ("bde_is_alumni", "=", True),
            ("company_id", "=", self.company_id.id),
            ("bde_exit_year", "=", self.exit_year),
            ("bde_alumni_contact_consent", "=", True),
            ("email", "!=", False),
        ]
        if self.formation_ids:
            domain.append(("bde_exit_formation_id", "in", self.formation_ids.ids))
        return self.env["res.partner"].search(domain)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "draft") != "draft" for vals in vals_list
        ):
            raise UserError(
                self.env._("A survey campaign is sent once, with its Send button.")
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_write_rules(vals)
        return super().write(vals)

    def _check_write_rules(self, vals):
        """A campaign is sent once, by its button, to the cohort and with the
        survey it names: neither changes afterwards, whatever the way in.
        Code running as superuser is trusted: no client reaches it."""
        if self.env.su:
            return
        if "state" in vals:
            raise UserError(
                self.env._("A survey campaign is sent once, with its Send button.")
            )
        if SENT_FROZEN_FIELDS & vals.keys() and "sent" in self.mapped("state"):
            raise UserError(
                self.env._(
                    "This campaign was already sent: its cohort, survey and "
                    "deadline no longer change."
                )
            )

    def action_send(self):
        self.ensure_one()
        # The answers are made as superuser: check the right first.
        self.check_access("write")
        if self.state != "draft":
            raise UserError(self.env._("This campaign was already sent."))
        targets = self._get_targets()
        if not targets:
            raise UserError(
                self.env._(
                    "No alumni of this cohort agreed to be contacted: there is "
                    "nobody to send the survey to."
                )
            )
        self._create_user_inputs(targets)
        self._send_mailing(targets, reminder=False)
        # The step itself: past the rules of ``write``, which refuse the state.
        super().write({"state": "sent"})

    def action_send_reminder(self):
        self.ensure_one()
        self.check_access("write")
        if self.state != "sent":
            raise UserError(self.env._("Send the campaign before reminding."))
        unanswered = (
            self.sudo()
            .user_input_ids.filtered(lambda user_input: user_input.state != "done")
            .partner_id
        )
        if not unanswered:
            raise UserError(self.env._("Every alumni surveyed has answered."))
        # Those who withdrew their consent since the campaign was sent are
        # never reminded.
        pending = unanswered.filtered("bde_alumni_contact_consent")
        if not pending:
            raise UserError(
                self.env._(
                    "The alumni who have not answered withdrew their consent to "
                    "be contacted: nobody to remind."
                )
            )
        self._send_mailing(pending.with_env(self.env), reminder=True)

    def action_view_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("id", "in", self.mailing_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "survey.action_survey_user_input"
        )
        action["domain"] = [("bde_alumni_campaign_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _create_user_inputs(self, partners):
        """One personal answer per alumni. As superuser: the shipped survey
        belongs to the administrator, survey officers only write their own."""
        survey = self.survey_id.sudo()
        UserInput = self.env["survey.user_input"].sudo()
        for partner in partners:
            survey._create_answer(
                partner=partner,
                check_attempts=False,
                invite_token=UserInput._generate_invite_token(),
                deadline=self.deadline,
                bde_alumni_campaign_id=self.id,
            )

    def _send_mailing(self, partners, reminder):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": self._get_mailing_subject(reminder),
                "body_html": self._get_mailing_body(reminder),
                "mailing_type": "mail",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", partners.ids)]),
                "company_id": self.company_id.id,
            }
        )
        self.mailing_ids = [fields.Command.link(mailing.id)]
        # The link is computed without dependencies: drop a value cached
        # before this campaign's answers existed.
        partners.invalidate_recordset(["bde_alumni_survey_url"])
        mailing.action_send_mail()

    def _get_mailing_subject(self, reminder):
        if reminder:
            return self.env._(
                "Reminder: what have you been doing since you left %(lycee)s?",
                lycee=self.company_id.name,
            )
        return self.env._(
            "What have you been doing since you left %(lycee)s?",
            lycee=self.company_id.name,
        )

    def _get_mailing_body(self, reminder):
        # The QWeb placeholders are rendered per recipient: each alumni gets
        # the link of their own answer (res.partner.bde_alumni_survey_url).
        # The link is plain text, not an <a href>: officers may only use
        # t-out (restricted rendering), and a tracked short link per alumni
        # would make the link tracker fetch every personal URL.
        intro = (
            self.env._("You have not answered yet: it only takes two minutes.")
            if reminder
            else self.env._(
                "The lycée would like to know what you have been doing since "
                "you left: it only takes two minutes."
            )
        )
        return Markup(
            '<p>%(hello)s <t t-out="object.name"/>,</p>'
            "<p>%(intro)s</p>"
            '<p>%(answer)s <t t-out="object.bde_alumni_survey_url"/></p>'
            "<p>%(thanks)s</p>"
        ) % {
            "hello": self.env._("Hello"),
            "intro": intro,
            "answer": self.env._("Your personal link to the survey:"),
            "thanks": self.env._("Thank you, and good luck!"),
        }
