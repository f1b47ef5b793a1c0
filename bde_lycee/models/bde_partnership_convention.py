from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

from .bde_partnership_convention_template import CLAUSE_FIELDS, TEXT_FIELDS

# Conventions usually run over the three years of a bac pro cycle.
DEFAULT_DURATION_YEARS = 3
# Three months leave time to review the partnership, agree on the renewal and
# collect both signatures before the convention ends.
RENEWAL_NOTICE_DAYS = 90
# The renewal activity is due within a month, or on the last day if sooner.
RENEWAL_ACTIVITY_DELAY_DAYS = 30
# Without these the convention says nothing binding: it cannot be signed.
CLAUSES_REQUIRED_TO_SIGN = [
    "clause_object",
    "clause_commitments_lycee",
    "clause_commitments_partner",
    "clause_duration",
    "clause_disputes",
]
# Fields set only by the convention's steps (action_*), which check who takes
# them and when: never by a plain write (RPC, the form, an import).
STEP_FIELDS = {"state", "termination_reason", "date_terminated"}
# States a convention is in before anyone signed it.
UNSIGNED_STATES = {"draft", "negotiation"}
# The head of school alone signs for the lycée.
HEAD_OF_SCHOOL_GROUP = "bde_lycee.group_bde_manager"
# What each field may still change in: the parties are fixed once the
# negotiation starts, the terms and the signatures once the convention is
# signed. Other fields (notes, responsible) stay free.
EDITABLE_STATES = {
    "partner_id": {"draft"},
    "company_id": {"draft"},
    **dict.fromkeys(
        [
            "partner_contact_id",
            "signatory_lycee_id",
            "date_start",
            "date_end",
            "template_id",
            "date_signed_lycee",
            "date_signed_partner",
            "date_visa_academy",
            "signed_on_paper",
            *TEXT_FIELDS,
        ],
        UNSIGNED_STATES,
    ),
}
STATES = [
    ("draft", "Draft"),
    ("negotiation", "In negotiation"),
    ("signed", "Signed"),
    ("active", "In force"),
    ("expired", "Expired"),
    ("renewed", "Renewed"),
    ("terminated", "Terminated"),
]


class BdePartnershipConvention(models.Model):
    """A partnership convention between the lycée and a company, with the
    clauses that fiche 6 of the Lycée des métiers guide asks for.

    Renewal: renewing creates a new draft convention dated from the end of the
    old one; the old one stays active until it ends and becomes ``renewed``
    when the new one becomes active, so that the partnership has no gap."""

    _name = "bde.partnership.convention"
    _description = "Partnership convention"
    _inherit = ["bde.partnership.clause.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id"]

    def _default_template_id(self):
        template = self.env.ref(
            "bde_lycee.bde_partnership_convention_template_company",
            raise_if_not_found=False,
        )
        return template if template and template.active else False

    def _default_date_end(self):
        today = fields.Date.context_today(self)
        return today + relativedelta(years=DEFAULT_DURATION_YEARS, days=-1)

    # Identification and parties
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain=[("is_company", "=", True)],
        help="The company (or federation, association...) the lycée partners with.",
    )
    partner_contact_id = fields.Many2one(
        "res.partner",
        string="Partner signatory",
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
        help="Who signs the convention for the partner.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Member of the BDE in charge of the convention.",
    )
    signatory_lycee_id = fields.Many2one(
        "res.users",
        string="Head of school",
        compute="_compute_signatory_lycee_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Head of school (proviseur) who signs the convention for the lycée: "
        "by default the lycée's head of school.",
    )
    formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations",
        check_company=True,
        help="Formations of the lycée the partnership concerns.",
    )
    template_id = fields.Many2one(
        "bde.partnership.convention.template",
        string="Template",
        check_company=True,
        default=_default_template_id,
        help="Choosing a template replaces the texts of the clauses by its own.",
    )
    framework_agreement_id = fields.Many2one(
        "bde.framework.agreement",
        string="Framework agreement",
        compute="_compute_framework_agreement_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="National or academic framework agreement the convention rests "
        "on. Set from the partner when exactly one agreement covers it.",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        copy=False,
        check_company=True,
        groups="sales_team.group_sale_salesman",
        help="Lead of the prospect pipeline the partnership comes from.",
    )

    # Dates and state
    date_start = fields.Date(
        string="Start date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(
        string="End date", required=True, tracking=True, default=_default_date_end
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        group_expand=True,
    )
    renewed_from_id = fields.Many2one(
        "bde.partnership.convention",
        string="Renewal of",
        copy=False,
        readonly=True,
        check_company=True,
        index="btree_not_null",
    )
    renewal_id = fields.Many2one(
        "bde.partnership.convention",
        string="Renewed by",
        copy=False,
        readonly=True,
        check_company=True,
    )
    renewal_activity_scheduled = fields.Boolean(
        copy=False,
        help="The reminder to renew was scheduled once; it is never scheduled again.",
    )
    termination_reason = fields.Text(copy=False, tracking=True)
    date_terminated = fields.Date(string="Termination date", copy=False)

    # Signatures
    date_signed_lycee = fields.Date(
        string="Signed by the lycée on", copy=False, tracking=True
    )
    date_signed_partner = fields.Date(
        string="Signed by the partner on", copy=False, tracking=True
    )
    academy_visa_required = fields.Boolean(
        related="template_id.academy_visa_required",
        string="Académie's visa required",
    )
    date_visa_academy = fields.Date(
        string="Académie's visa on", copy=False, tracking=True
    )
    signed_on_paper = fields.Boolean(
        copy=False,
        help="The convention was signed on paper: attach its scanned copy.",
    )
    scan_file = fields.Binary(string="Scanned copy", attachment=True, copy=False)
    scan_filename = fields.Char(copy=False)
    signature_progress = fields.Integer(
        compute="_compute_signature_progress",
        help="Share of the two signatures collected, in percent.",
    )
    note = fields.Html(string="Internal notes")

    # Clauses: filled from the template, then edited freely.
    preamble = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_object = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_commitments_lycee = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_commitments_partner = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_terms = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_duration = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_follow_up = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_financial = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_confidentiality = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_safety = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_insurance = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )
    clause_disputes = fields.Html(
        compute="_compute_texts", store=True, readonly=False, precompute=True, copy=True
    )

    @api.depends("template_id")
    def _compute_texts(self):
        """Purpose is to emulate an onchange: choosing a template writes its
        texts, which the BDE then adapts to the partner. Removing the template
        keeps the texts as they are."""
        for convention in self.filtered("template_id"):
            for fname in TEXT_FIELDS:
                convention[fname] = convention.template_id[fname]

    @api.depends("company_id")
    def _compute_signatory_lycee_id(self):
        # The head of school set on the lycée signs; one chosen by hand stays.
        for convention in self.filtered(lambda c: not c.signatory_lycee_id):
            convention.signatory_lycee_id = (
                convention.company_id.bde_head_of_school_user_id
            )

    @api.depends(
        "date_signed_lycee",
        "date_signed_partner",
        "date_visa_academy",
        "academy_visa_required",
    )
    def _compute_signature_progress(self):
        for convention in self:
            dates = [convention.date_signed_lycee, convention.date_signed_partner]
            if convention.academy_visa_required:
                dates.append(convention.date_visa_academy)
            convention.signature_progress = round(
                100 * len(list(filter(None, dates))) / len(dates)
            )

    @api.depends("partner_id")
    def _compute_framework_agreement_id(self):
        for convention in self:
            agreements = convention.partner_id.bde_framework_agreement_ids
            if convention.framework_agreement_id in agreements:
                continue
            # Only an unambiguous agreement is a default; otherwise the BDE
            # chooses.
            if len(agreements) == 1:
                convention.framework_agreement_id = agreements
            else:
                convention.framework_agreement_id = False

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for convention in self:
            if convention.partner_id:
                convention.display_name = (
                    f"{convention.name} – {convention.partner_id.name}"
                )
            else:
                convention.display_name = convention.name

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for convention in self:
            if convention.date_end <= convention.date_start:
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s must end after it starts (%(start)s).",
                        name=convention.display_name,
                        start=convention.date_start,
                    )
                )

    @api.constrains("state", "signed_on_paper", "scan_file")
    def _check_scan(self):
        for convention in self:
            if (
                convention.state in ("signed", "active")
                and convention.signed_on_paper
                and not convention.scan_file
            ):
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s was signed on paper: attach its "
                        "scanned copy.",
                        name=convention.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_rules(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("bde.partnership.convention") or self.env._("New")
        conventions = super().create(vals_list)
        # A convention recorded already signed (an import of the conventions
        # signed on paper) carries its signatures.
        if not self.env.su:
            signed = conventions.filtered(lambda c: c.state not in UNSIGNED_STATES)
            signed._check_parties_in_force()
            signed._check_signatures()
        # Conventions imported or created already in force bind their partner.
        conventions.filtered(lambda c: c.state == "active")._mark_partners_active()
        return conventions

    def write(self, vals):
        self._check_write_rules(vals)
        return self._write_trusted(vals)

    def _write_trusted(self, vals):
        """The write itself, for the convention's steps once they checked who
        takes them: a private method, out of reach of RPC, so that nobody
        skips the rules of ``write``."""
        leaving_active = self.browse()
        if vals.get("state") and vals["state"] != "active":
            leaving_active = self.filtered(lambda c: c.state == "active")
        result = super().write(vals)
        if vals.get("state") == "active":
            self._mark_partners_active()
        leaving_active._mark_partners_former()
        return result

    # Who writes what: the rules of ``write`` and ``create`` for every way in
    def _check_write_rules(self, vals):
        """Code running as superuser (data files, crons) is trusted: no
        client reaches it."""
        if self.env.su:
            return
        if STEP_FIELDS & vals.keys():
            raise UserError(
                self.env._(
                    "The state of a partnership convention changes only through "
                    "its steps (the buttons of the convention), which check who "
                    "takes them and when."
                )
            )
        if "date_signed_lycee" in vals:
            self._check_head_of_school()
        for convention in self:
            frozen = [
                name
                for name in vals
                if name in EDITABLE_STATES
                and convention.state not in EDITABLE_STATES[name]
            ]
            if frozen:
                raise UserError(
                    self.env._(
                        "The convention %(name)s is %(state)s: %(fields)s can no "
                        "longer change. Reset it to draft to change its terms.",
                        name=convention.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[convention.state],
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in frozen
                        ),
                    )
                )

    def _check_create_rules(self, vals):
        """A convention is created as a draft or in negotiation; only the
        head of school records one already signed, or dates the lycée's
        signature."""
        if self.env.su:
            return
        if vals.get("state", "draft") not in UNSIGNED_STATES or vals.get(
            "date_signed_lycee"
        ):
            self._check_head_of_school()

    def _check_head_of_school(self):
        if not self.env.user.has_group(HEAD_OF_SCHOOL_GROUP):
            raise AccessError(
                self.env._(
                    "Only the head of school or the DDFPT signs a partnership "
                    "convention for the lycée."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_force(self):
        if any(c.state not in ("draft", "negotiation") for c in self):
            raise UserError(
                self.env._(
                    "Only draft conventions or conventions in negotiation can be "
                    "deleted; terminate a signed convention instead."
                )
            )

    # Actions

    def action_to_negotiation(self):
        self._check_state(["draft"], self.env._("put in negotiation"))
        self._write_trusted({"state": "negotiation"})

    def action_sign(self):
        """Record that both parties signed: the head of school signs for the
        lycée, so only the head of school's group may do it."""
        self._check_head_of_school()
        self._put_signed()

    def _put_signed(self):
        """The convention's checks before it is signed, whoever brings the
        signatures: the dates typed or the scan (``action_sign``), or the last
        signer of the online request."""
        self._check_state(["negotiation"], self.env._("sign"))
        self._check_clauses_for_signature()
        self._check_parties_in_force()
        self._check_signatures()
        self._write_trusted({"state": "signed"})
        self.filtered(
            lambda c: c.date_start <= fields.Date.context_today(c)
        ).action_activate()

    def action_activate(self):
        self._check_state(["signed"], self.env._("activate"))
        self._check_parties_in_force()
        today = fields.Date.context_today(self)
        for convention in self:
            if convention.date_start > today:
                raise UserError(
                    self.env._(
                        "The convention %(name)s starts on %(date)s: it becomes "
                        "active on that day.",
                        name=convention.display_name,
                        date=convention.date_start,
                    )
                )
        self._write_trusted({"state": "active"})
        self._close_renewed_conventions()

    def action_open_terminate_wizard(self):
        self._check_state(["signed", "active"], self.env._("terminate"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Terminate the convention"),
            "res_model": "bde.partnership.convention.terminate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_convention_ids": self.ids},
        }

    def action_terminate(self, reason, date=None):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the termination."))
        self._check_state(["signed", "active"], self.env._("terminate"))
        self._write_trusted(
            {
                "state": "terminated",
                "termination_reason": reason,
                "date_terminated": date or fields.Date.context_today(self),
            }
        )

    def action_renew(self):
        self.ensure_one()
        self._check_state(["active", "expired"], self.env._("renew"))
        if self.renewal_id:
            raise UserError(
                self.env._(
                    "The convention %(name)s is already renewed by %(renewal)s.",
                    name=self.display_name,
                    renewal=self.renewal_id.display_name,
                )
            )
        renewal = self.copy(self._prepare_renewal_values())
        self.renewal_id = renewal
        self.message_post(
            body=self.env._("Renewal prepared: %(name)s", name=renewal.name)
        )
        return renewal._get_form_action()

    def action_reset_draft(self):
        self._check_state(["negotiation", "signed"], self.env._("reset to draft"))
        self._write_trusted({"state": "draft"})

    def action_view_renewal(self):
        self.ensure_one()
        return self.renewal_id._get_form_action()

    def action_view_renewed_from(self):
        self.ensure_one()
        return self.renewed_from_id._get_form_action()

    # Business methods

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def _check_state(self, allowed, operation):
        for convention in self:
            if convention.state not in allowed:
                state_labels = dict(
                    self._fields["state"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "Cannot %(operation)s the convention %(name)s: it is "
                        "%(state)s.",
                        operation=operation,
                        name=convention.display_name,
                        state=state_labels[convention.state],
                    )
                )

    def _check_clauses_for_signature(self):
        for convention in self:
            missing = [
                self._fields[fname]._description_string(self.env)
                for fname in CLAUSES_REQUIRED_TO_SIGN
                if is_html_empty(convention[fname])
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s cannot be signed without these "
                        "clauses: %(clauses)s.",
                        name=convention.display_name,
                        clauses=", ".join(missing),
                    )
                )

    def _check_signatures(self):
        for convention in self:
            if convention.signed_on_paper:
                if not convention.scan_file:
                    raise ValidationError(
                        self.env._(
                            "The convention %(name)s was signed on paper: attach "
                            "its scanned copy before recording the signature.",
                            name=convention.display_name,
                        )
                    )
            elif not (convention.date_signed_lycee and convention.date_signed_partner):
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s needs the signature dates of both "
                        "the lycée and the partner, or a scanned copy signed on "
                        "paper.",
                        name=convention.display_name,
                    )
                )
            elif convention.academy_visa_required and not convention.date_visa_academy:
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s needs the date of the académie's "
                        "visa, or a scanned copy signed on paper.",
                        name=convention.display_name,
                    )
                )

    def _get_missing_parties(self):
        """What the convention lacks to bind anyone, in the words of its form:
        who signs for the lycée, who signs for the partner, what it is for."""
        self.ensure_one()
        missing = []
        if not self.signatory_lycee_id:
            missing.append(self.env._("the lycée's signatory (head of school)"))
        if not self.partner_contact_id:
            missing.append(self.env._("the partner's signatory"))
        if not self.formation_ids:
            missing.append(self.env._("at least one formation"))
        return missing

    def _check_parties_in_force(self):
        """No convention is sent for signature, signed or put in force
        without its signatories and formations, whatever the way in."""
        for convention in self:
            missing = convention._get_missing_parties()
            if missing:
                raise ValidationError(
                    self.env._(
                        "The convention %(name)s cannot be signed or put in force "
                        "without %(missing)s.",
                        name=convention.display_name,
                        missing=", ".join(missing),
                    )
                )

    def _prepare_renewal_values(self):
        """Values of the convention that follows this one: same clauses, dated
        from the day after it ends, for as long as it lasted."""
        self.ensure_one()
        date_start = self.date_end + timedelta(days=1)
        duration = relativedelta(date_start, self.date_start)
        return {
            "date_start": date_start,
            "date_end": date_start + duration - timedelta(days=1),
            "renewed_from_id": self.id,
            "lead_id": False,
        }

    def _close_renewed_conventions(self):
        """The convention a renewal replaces ends its life as ``renewed`` as
        soon as the renewal is in force."""
        self.renewed_from_id.filtered(
            lambda c: c.state in ("active", "expired")
        )._write_trusted({"state": "renewed"})

    def _mark_partners_active(self):
        """A convention in force makes its partner an active partner of the
        convention's lycée."""
        # sudo: the status is derived from the conventions, whatever the
        # user's rights on the relation.
        Relation = self.env["bde.partner.relation"].sudo()
        for lycee, conventions in self.grouped("company_id").items():
            Relation._bde_set_status(conventions.partner_id, lycee, "active")

    def _mark_partners_former(self):
        """Partners whose conventions left the active state become former
        partners of the convention's lycée, unless another convention of that
        lycée still binds them; other lycées' partnerships are theirs."""
        Relation = self.env["bde.partner.relation"].sudo()
        for lycee, conventions in self.grouped("company_id").items():
            still_active = (
                self.sudo()
                .search(
                    [
                        ("partner_id", "in", conventions.partner_id.ids),
                        ("company_id", "=", lycee.id),
                        ("state", "=", "active"),
                    ]
                )
                .partner_id
            )
            Relation._bde_set_status(
                conventions.partner_id - still_active, lycee, "former"
            )

    def _get_report_articles(self):
        """The numbered articles of the printed convention, in order, leaving
        out the clauses that do not apply."""
        self.ensure_one()
        articles = []
        for fname in CLAUSE_FIELDS:
            if not is_html_empty(self[fname]):
                articles.append(
                    {
                        "number": len(articles) + 1,
                        "title": self._fields[fname]._description_string(self.env),
                        "body": self[fname],
                    }
                )
        return articles

    @api.model
    def _get_report_address(self, partner):
        """The address of a party on one line, as a convention names it."""
        lines = partner._display_address(without_company=True).splitlines()
        return ", ".join(line.strip() for line in lines if line.strip())

    # Scheduled action

    @api.model
    def _cron_check_conventions(self):
        """Daily: start signed conventions, end expired ones, remind to renew."""
        self._cron_activate_started()
        self._cron_expire_ended()
        self._cron_schedule_renewal_activities()

    @api.model
    def _cron_activate_started(self):
        today = fields.Date.context_today(self)
        started = self.search([("state", "=", "signed"), ("date_start", "<=", today)])
        # A convention signed without its parties (before the rule) stays
        # signed: it must not hold up the others.
        started.filtered(lambda c: not c._get_missing_parties()).action_activate()

    @api.model
    def _cron_expire_ended(self):
        today = fields.Date.context_today(self)
        self.search(
            [("state", "=", "active"), ("date_end", "<", today)]
        )._write_trusted({"state": "expired"})

    @api.model
    def _cron_schedule_renewal_activities(self):
        today = fields.Date.context_today(self)
        conventions = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "<=", today + timedelta(days=RENEWAL_NOTICE_DAYS)),
                ("renewal_id", "=", False),
                ("renewal_activity_scheduled", "=", False),
            ]
        )
        for convention in conventions:
            convention.activity_schedule(
                "bde_lycee.mail_activity_type_convention_renewal",
                date_deadline=min(
                    convention.date_end,
                    today + timedelta(days=RENEWAL_ACTIVITY_DELAY_DAYS),
                ),
                user_id=convention._get_renewal_responsible().id,
            )
        conventions.renewal_activity_scheduled = True

    def _get_renewal_responsible(self):
        self.ensure_one()
        return self.company_id.bde_manager_id or self.user_id or self.env.user
