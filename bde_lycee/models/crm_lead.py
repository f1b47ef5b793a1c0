from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..school_year import school_year_of

PARTNERSHIP_KINDS = [
    ("pfmp", "PFMP hosting"),
    ("apprenticeship", "Apprenticeship"),
    ("job_forum", "Job forum"),
    ("class_intervention", "Class intervention"),
    ("donation_tax", "Equipment donation / apprenticeship tax"),
    ("other", "Other"),
]


class CrmLead(models.Model):
    """Prospects of the Bureau des entreprises: the leads of the BDE sales team
    follow their own stages and, once won, make the company an active partner
    and open its partnership convention."""

    _inherit = "crm.lead"

    bde_formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations concerned",
        help="Formations of the lycée the partnership would serve.",
    )
    bde_partnership_kind = fields.Selection(
        PARTNERSHIP_KINDS,
        string="Kind of partnership",
        help="What the company could offer the lycée.",
    )
    bde_is_bde_team = fields.Boolean(
        string="BDE lead",
        compute="_compute_bde_is_bde_team",
        help="The lead belongs to the pipeline of the Bureau des entreprises.",
    )
    bde_school_year = fields.Char(
        string="School year",
        compute="_compute_bde_school_year",
        store=True,
        index=True,
        help="School year in which the lead was created: the prospect funnel "
        "counts it there.",
    )
    bde_is_current_school_year = fields.Boolean(
        string="Current school year",
        compute="_compute_bde_is_current_school_year",
        search="_search_bde_is_current_school_year",
    )
    bde_convention_ids = fields.One2many(
        "bde.partnership.convention", "lead_id", string="Conventions"
    )
    bde_convention_count = fields.Integer(
        string="Convention count", compute="_compute_bde_convention_count"
    )

    @api.depends("team_id")
    def _compute_bde_is_bde_team(self):
        bde_team = self._bde_team()
        for lead in self:
            lead.bde_is_bde_team = bool(bde_team) and lead.team_id == bde_team

    @api.depends("create_date")
    def _compute_bde_school_year(self):
        for lead in self:
            lead.bde_school_year = lead.create_date and school_year_of(
                lead.create_date.date()
            )

    @api.depends("bde_school_year")
    @api.depends_context("tz")
    def _compute_bde_is_current_school_year(self):
        current = school_year_of(fields.Date.context_today(self))
        for lead in self:
            lead.bde_is_current_school_year = lead.bde_school_year == current

    def _search_bde_is_current_school_year(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("The current school year is searched as true or false.")
            )
        current = school_year_of(fields.Date.context_today(self))
        return [
            ("bde_school_year", "=" if (operator == "=") == value else "!=", current)
        ]

    @api.depends("bde_convention_ids")
    def _compute_bde_convention_count(self):
        counts = dict(
            self.env["bde.partnership.convention"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.bde_convention_count = counts.get(lead, 0)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        bde_leads = leads._bde_filter()
        bde_leads._bde_mark_prospects()
        bde_leads.filtered(lambda lead: lead.stage_id.is_won)._bde_on_won()
        return leads

    def write(self, vals):
        # Only the leads that were not won yet open a convention: moving a lead
        # between two won stages, or saving a won lead again, must not.
        not_won = self.filtered(lambda lead: not lead.stage_id.is_won)
        result = super().write(vals)
        bde_leads = self._bde_filter()
        if "partner_id" in vals:
            bde_leads._bde_mark_prospects()
        if "stage_id" in vals:
            (bde_leads & not_won).filtered(
                lambda lead: lead.stage_id.is_won and lead.active
            )._bde_on_won()
        return result

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # The BDE pipeline shows its own stages only, not the generic ones of
        # the sales teams (New, Qualified, Proposition, Won).
        bde_team = self._bde_team()
        if bde_team and self.env.context.get("default_team_id") == bde_team.id:
            stage_ids = stages.sudo()._search(
                ["|", ("id", "in", stages.ids), ("team_id", "=", bde_team.id)],
                order=stages._order,
            )
            return stages.browse(stage_ids)
        return super()._read_group_stage_ids(stages, domain)

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        # Same reason: a BDE lead is created in "Identified" and is won in
        # "Partner", never in a stage shared with the other teams.
        bde_team = self._bde_team()
        team_ids = {team_id} if team_id else set()
        team_ids |= set(self.team_id.ids)
        if bde_team and team_ids == {bde_team.id}:
            return self.env["crm.stage"].search(
                [("team_id", "=", bde_team.id), *(domain or [])],
                order=order,
                limit=limit,
            )
        return super()._stage_find(
            team_id=team_id, domain=domain, order=order, limit=limit
        )

    def action_view_bde_conventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.bde_partnership_convention_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        if self.bde_convention_count == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.bde_convention_ids.id
        return action

    @api.model
    def _bde_team(self):
        return self.env.ref("bde_lycee.crm_team_bde", raise_if_not_found=False)

    def _bde_filter(self):
        bde_team = self._bde_team()
        return self.filtered(lambda lead: bde_team and lead.team_id == bde_team)

    def _bde_lycee(self):
        """The lycée whose pipeline holds the lead."""
        self.ensure_one()
        return self.company_id or self.env.company

    def _bde_mark_prospects(self):
        """A company met through the pipeline becomes a prospect of the lead's
        lycée, unless it already has a status there: an active or former
        partner is never downgraded."""
        # sudo: a lead submitted from the public page is created by the public
        # user, who cannot write on contacts; the status follows the pipeline
        # whatever the rights of who moves the lead.
        Relation = self.env["bde.partner.relation"].sudo()
        for lead in self.filtered("partner_id"):
            Relation._bde_set_status(
                lead.partner_id.commercial_partner_id,
                lead._bde_lycee(),
                "prospect",
                overwrite=False,
            )

    def _bde_on_won(self):
        """The company becomes an active partner of the lead's lycée and a
        draft partnership convention is opened for it, once per lead."""
        Relation = self.env["bde.partner.relation"].sudo()
        for lead in self:
            if not lead.partner_id:
                lead._handle_partner_assignment(create_missing=True)
            company = lead.partner_id.commercial_partner_id
            Relation._bde_set_status(company, lead._bde_lycee(), "active")
            if not lead.bde_convention_ids:
                lead._bde_open_convention(company)

    def _bde_open_convention(self, company):
        self.ensure_one()
        convention = self.env["bde.partnership.convention"].create(
            self._prepare_bde_convention_values(company)
        )
        self.message_post(
            body=Markup("%s %s")
            % (
                self.env._("Partnership convention opened:"),
                convention._get_html_link(),
            )
        )
        return convention

    def _prepare_bde_convention_values(self, company):
        self.ensure_one()
        return {
            "lead_id": self.id,
            "partner_id": company.id,
            "partner_contact_id": self._bde_contact_person(company).id,
            "formation_ids": [Command.set(self.bde_formation_ids.ids)],
            "company_id": self._bde_lycee().id,
            "user_id": (self.user_id or self.env.user).id,
        }

    def _bde_contact_person(self, company):
        """The person the BDE met, who signs the convention for the company:
        the lead's contact when it is a person of that company, else the
        lead's contact name, created under the company. None without a name."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if (
            self.partner_id != company
            and self.partner_id.commercial_partner_id == company
        ):
            return self.partner_id
        if not self.contact_name:
            return Partner
        existing = Partner.search(
            [("parent_id", "=", company.id), ("name", "=ilike", self.contact_name)],
            limit=1,
        )
        return existing or Partner.create(
            self._prepare_customer_values(
                self.contact_name, is_company=False, parent_id=company.id
            )
        )
