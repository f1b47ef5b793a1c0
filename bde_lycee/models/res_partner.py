import re

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .bde_partner_relation import PARTNER_STATUSES
from .mailing_list import BDE_SYNC_TRIGGER_FIELDS

NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
# INE formats differ between generations of the national register: only the
# length and the characters are checked, never the key (domain.md).
INE_RE = re.compile(r"^[0-9A-Z]{11}$")
# Partners waiting for the mailing-list sync in batch mode (precommit data).
PENDING_SYNC_KEY = "bde_lycee.mailing_sync_pending"
WORKFORCE_BANDS = [
    ("0", "No employee"),
    ("1_9", "1 to 9 employees"),
    ("10_49", "10 to 49 employees"),
    ("50_249", "50 to 249 employees"),
    ("250_4999", "250 to 4,999 employees"),
    ("5000", "5,000 employees or more"),
]
# Who the BDE works with (circular, annex, expectation 2: the BDE is the entry
# point of companies and of the other actors of the territory).
PARTNER_TYPES = [
    ("company", "Company"),
    ("chamber", "Consular chamber (CCI, CMA, chamber of agriculture)"),
    ("opco", "OPCO"),
    ("france_travail", "France Travail"),
    ("mission_locale", "Mission locale"),
    ("association", "Association"),
    ("school", "Other school or training centre"),
    ("public", "Public body or local authority"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    """Companies, tutors, students and alumni are all contacts: one address
    book, one chatter, one mailing target."""

    _inherit = "res.partner"

    # Company partners
    bde_naf_code = fields.Char(
        string="NAF code",
        help="Main activity code (code APE) of the company, e.g. 10.71C.",
    )
    bde_workforce_band = fields.Selection(WORKFORCE_BANDS, string="Workforce")
    bde_partner_type = fields.Selection(
        PARTNER_TYPES,
        string="Partner type",
        compute="_compute_bde_partner_type",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="Kind of organisation: a company, a consular chamber, an OPCO, "
        "France Travail, a Mission locale, an association...",
    )
    bde_framework_agreement_ids = fields.Many2many(
        "bde.framework.agreement",
        relation="bde_framework_agreement_res_partner_rel",
        column1="partner_id",
        column2="agreement_id",
        string="Framework agreements",
        help="National, academic or regional framework agreements that cover "
        "the company.",
    )
    bde_sector_ids = fields.Many2many("bde.sector", string="Sectors")
    bde_formation_ids = fields.Many2many(
        "bde.formation",
        string="Related formations",
        help="Formations of the lycée this company hires, hosts or supports.",
    )
    # A search through the chatter of a shared company (e.g. the companies
    # whose messages name a student) goes through the rules of the messages
    # and activities, that keep a lycée's notes from the other lycées: Odoo's
    # auto_join would bypass them.
    message_ids = fields.One2many(auto_join=False)
    website_message_ids = fields.One2many(auto_join=False)
    activity_ids = fields.One2many(auto_join=False)
    bde_partner_relation_ids = fields.One2many(
        "bde.partner.relation",
        "partner_id",
        string="Partnerships",
        groups="bde_lycee.group_bde_user",
    )
    # Each lycée has its own relationship with a shared company: the status
    # shown, searched and written is the current lycée's (its relation).
    bde_partner_status = fields.Selection(
        selection=PARTNER_STATUSES,
        string="Partnership status",
        compute="_compute_bde_partner_status",
        inverse="_inverse_bde_partner_status",
        search="_search_bde_partner_status",
        help="Where the company stands with the current lycée's BDE: a prospect "
        "of the pipeline, an active partner (a convention in force or a won "
        "lead) or a former one. Every lycée has its own.",
    )
    bde_is_tutor = fields.Boolean(
        string="Tutor",
        help="Employee of a host company who tutors students during their PFMP.",
    )

    # Students
    bde_is_student = fields.Boolean(string="Student")
    bde_ine = fields.Char(
        string="INE",
        size=11,
        help="Identifiant national élève: 11 characters, e.g. 1234567890A.",
    )
    bde_birthdate = fields.Date(string="Birth date")
    bde_class_id = fields.Many2one("bde.class", string="Class", index=True)
    bde_date_left = fields.Date(
        string="Left the lycée on",
        help="Set by the SIECLE import for a student who left during or "
        "before the school year: no longer in a class. Cleared when a later "
        "export puts them back in a class.",
    )
    bde_formation_id = fields.Many2one(
        related="bde_class_id.formation_id", string="Formation", store=True
    )
    bde_legal_guardian_id = fields.Many2one(
        "res.partner",
        string="Legal guardian",
        help="Parent or guardian who signs for a minor student.",
    )
    bde_ward_ids = fields.One2many(
        "res.partner", "bde_legal_guardian_id", string="Students in their care"
    )
    bde_age = fields.Integer(string="Age", compute="_compute_bde_age")
    # The persons whose data the lycée holds as a school: the academic
    # correspondent (network reader) never reads them (record rule).
    bde_is_school_person = fields.Boolean(
        string="Student or guardian",
        compute="_compute_bde_is_school_person",
        search="_search_bde_is_school_person",
        help="A student of a lycée, or the legal guardian of one.",
    )

    # The partner's BDE history, shown as smart buttons on the company form
    bde_event_participation_ids = fields.One2many(
        "bde.event.participation", "partner_id", string="Event participations"
    )
    bde_event_participation_count = fields.Integer(
        string="Events",
        compute="_compute_bde_event_participation_count",
        groups="bde_lycee.group_bde_user",
    )
    bde_skill_need_count = fields.Integer(
        string="Skill needs",
        compute="_compute_bde_skill_need_count",
        groups="bde_lycee.group_bde_user",
    )
    bde_tax_pledge_count = fields.Integer(
        string="Tax pledges",
        compute="_compute_bde_tax_pledge_count",
        groups="bde_lycee.group_bde_user",
    )
    bde_convention_count = fields.Integer(
        string="Conventions",
        compute="_compute_bde_convention_count",
        groups="bde_lycee.group_bde_user",
    )

    _sql_constraints = [
        (
            "bde_ine_company_uniq",
            "unique (bde_ine, company_id)",
            "Another student of this lycée already has this INE.",
        ),
    ]

    @api.depends("is_company")
    def _compute_bde_partner_type(self):
        # Companies are companies unless told otherwise; a person has no type.
        for partner in self:
            if not partner.is_company:
                partner.bde_partner_type = False
            elif not partner.bde_partner_type:
                partner.bde_partner_type = "company"

    @api.depends("bde_birthdate")
    def _compute_bde_age(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.bde_age = partner.bde_age_on(today) if partner.bde_birthdate else 0

    @api.model
    def _bde_school_person_domain(self):
        """Domain of the partners the lycée holds as persons of the school;
        modules that hold more of them (alumni) add theirs."""
        return expression.OR(
            [
                [("bde_is_student", "=", True)],
                [("bde_ward_ids", "any", [("active", "in", (True, False))])],
            ]
        )

    def _compute_bde_is_school_person(self):
        # sudo: whether a partner is a school person does not depend on what
        # the user may read of their students.
        domain = [("id", "in", self._origin.ids), *self._bde_school_person_domain()]
        persons = self.sudo().with_context(active_test=False).search(domain)
        for partner in self:
            partner.bde_is_school_person = partner._origin.id in persons.ids

    def _search_bde_is_school_person(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the school persons."))
        domain = self._bde_school_person_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends(
        "bde_partner_relation_ids.status", "bde_partner_relation_ids.company_id"
    )
    @api.depends_context("company")
    def _compute_bde_partner_status(self):
        # sudo: the current lycée's status is known to all its users, whatever
        # their rights on the relation (its notes stay behind record rules).
        relations = (
            self.env["bde.partner.relation"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self._origin.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )
        status_by_partner = {rel.partner_id.id: rel.status for rel in relations}
        for partner in self:
            partner.bde_partner_status = status_by_partner.get(partner._origin.id)

    def _inverse_bde_partner_status(self):
        Relation = self.env["bde.partner.relation"]
        for status, partners in self.grouped("bde_partner_status").items():
            if status:
                Relation._bde_set_status(partners, self.env.company, status)
                continue
            # Emptying the status would drop the lycée's notes and follow-up
            # of the company with it.
            related = Relation.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
            if related:
                raise UserError(
                    self.env._(
                        "The partnership status of %(names)s cannot be emptied: "
                        "mark the company as a former partner instead.",
                        names=", ".join(related.partner_id.mapped("display_name")),
                    )
                )

    def _search_bde_partner_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Operation not supported."))
        values = set(value) if isinstance(value, list | tuple | set) else {value}
        statuses = [status for status in values if status]
        relations = self.env["bde.partner.relation"].sudo()
        company_domain = [("company_id", "=", self.env.company.id)]
        # The partners that have the status, or no status when False is
        # asked, in the current lycée.
        domains = []
        if statuses:
            matching = relations._search(company_domain + [("status", "in", statuses)])
            domains.append([("id", "in", matching.subselect("partner_id"))])
        if len(statuses) < len(values):
            related = relations._search(company_domain)
            domains.append([("id", "not in", related.subselect("partner_id"))])
        domain = expression.OR(domains)
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    @api.model
    def _bde_partner_status_domain(self, status, company):
        """Domain of the partners that have ``status`` in ``company``, for
        code that works for a lycée other than the current one."""
        return [
            (
                "bde_partner_relation_ids",
                "any",
                [("company_id", "=", company.id), ("status", "=", status)],
            )
        ]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # The current lycée's status, so that lists group and sort by it.
        if fname != "bde_partner_status":
            return super()._field_to_sql(alias, fname, query, flush)
        Relation = self.env["bde.partner.relation"]
        return SQL(
            "(SELECT r.status FROM bde_partner_relation r "
            "WHERE r.partner_id = %s AND r.company_id = %s)",
            SQL.identifier(alias, "id"),
            self.env.company.id,
            to_flush=Relation._fields["status"] if flush else None,
        )

    def _bde_count_by_partner(self, model):
        """Number of ``model`` records per partner of ``self``, in one query."""
        return dict(
            self.env[model]._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )

    def _compute_bde_event_participation_count(self):
        counts = self._bde_count_by_partner("bde.event.participation")
        for partner in self:
            partner.bde_event_participation_count = counts.get(partner._origin, 0)

    def _compute_bde_skill_need_count(self):
        counts = self._bde_count_by_partner("bde.skill.need")
        for partner in self:
            partner.bde_skill_need_count = counts.get(partner._origin, 0)

    def _compute_bde_tax_pledge_count(self):
        counts = self._bde_count_by_partner("bde.tax.pledge")
        for partner in self:
            partner.bde_tax_pledge_count = counts.get(partner._origin, 0)

    def _compute_bde_convention_count(self):
        counts = self._bde_count_by_partner("bde.partnership.convention")
        for partner in self:
            partner.bde_convention_count = counts.get(partner._origin, 0)

    @api.constrains("bde_naf_code")
    def _check_bde_naf_code(self):
        for partner in self.filtered("bde_naf_code"):
            if not NAF_RE.match(partner.bde_naf_code):
                raise ValidationError(
                    self.env._(
                        "The NAF code %(code)s of %(name)s must read like 10.71C "
                        "(two digits, two digits, a letter).",
                        code=partner.bde_naf_code,
                        name=partner.display_name,
                    )
                )

    @api.constrains("bde_ine")
    def _check_bde_ine(self):
        for partner in self.filtered("bde_ine"):
            if not INE_RE.match(partner.bde_ine):
                raise ValidationError(
                    self.env._(
                        "The INE %(ine)s of %(name)s must have 11 characters, "
                        "digits or capital letters.",
                        ine=partner.bde_ine,
                        name=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_bde_identifiers(vals)
        partners = super().create(vals_list)
        sync_fields = self._bde_mailing_sync_fields()
        if any(sync_fields & vals.keys() for vals in vals_list):
            partners._bde_sync_mailing_lists()
        return partners

    def write(self, vals):
        self._normalize_bde_identifiers(vals)
        res = super().write(vals)
        if self._bde_mailing_sync_fields() & vals.keys():
            self._bde_sync_mailing_lists()
        return res

    @api.model
    def _normalize_bde_identifiers(self, vals):
        """Store identifiers in one form whatever the way they were typed, so
        that checks and look-ups (the INE is the import key) compare alike."""
        # l10n_fr_siret checks the SIRET's key but splits it as typed: a SIRET
        # pasted with spaces would give a wrong SIREN and NIC.
        if vals.get("siret"):
            vals["siret"] = re.sub(r"\s", "", vals["siret"])
        if vals.get("bde_ine"):
            vals["bde_ine"] = vals["bde_ine"].strip().upper()
        naf = NAF_RE.match(re.sub(r"\s", "", vals.get("bde_naf_code") or "").upper())
        if naf:
            vals["bde_naf_code"] = f"{naf[1]}.{naf[2]}{naf[3]}"

    def bde_age_on(self, day):
        """Age in whole years of the person on ``day`` (0 without birth date)."""
        self.ensure_one()
        if not self.bde_birthdate:
            return 0
        return relativedelta(day, self.bde_birthdate).years

    def _bde_action_partner_records(self, action_xmlid):
        """The window action ``action_xmlid`` restricted to this partner's
        records, creating new ones for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_bde_view_event_participations(self):
        return self._bde_action_partner_records(
            "bde_lycee.bde_event_participation_action"
        )

    def action_view_bde_skill_needs(self):
        return self._bde_action_partner_records("bde_lycee.bde_skill_need_action")

    def action_view_bde_tax_pledges(self):
        return self._bde_action_partner_records("bde_lycee.bde_tax_pledge_action")

    def action_view_bde_conventions(self):
        return self._bde_action_partner_records(
            "bde_lycee.bde_partnership_convention_action"
        )

    def action_view_bde_partner_relation(self):
        """The current lycée's partnership with this company, a new one when
        the lycée has none yet."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.bde_partner_relation_action"
        )
        relation = self.env["bde.partner.relation"].search(
            [("partner_id", "=", self.id), ("company_id", "=", self.env.company.id)]
        )
        action["views"] = [(False, "form")]
        action["res_id"] = relation.id
        action["context"] = {
            "default_partner_id": self.id,
            "default_company_id": self.env.company.id,
        }
        return action

    @api.model
    def _bde_mailing_sync_fields(self):
        """Partner fields whose change may move a partner in or out of a
        synced mailing list; modules adding a sync rule add their fields."""
        return BDE_SYNC_TRIGGER_FIELDS

    def _bde_sync_mailing_lists(self):
        """Move these partners, and the contacts of these companies, in or out
        of the synced mailing lists. As superuser: the lists are kept by the
        BDE, whoever edits a partner (even their own address) without mailing
        rights.

        With the context key ``bde_mailing_sync_batch`` (imports writing
        thousands of partners one by one), the partners are only noted: they
        are synced together by ``_bde_sync_pending_mailing_lists``, which the
        caller may run at the end of each batch and which runs anyway before
        the transaction commits. The key batches the work and skips nothing."""
        partners = (self | self.child_ids).sudo()
        if not self.env.context.get("bde_mailing_sync_batch"):
            self.env["mailing.list"].sudo()._bde_sync_mailing_lists(partners=partners)
            return
        precommit = self.env.cr.precommit
        if PENDING_SYNC_KEY not in precommit.data:
            Partner = self.env["res.partner"].with_context(bde_mailing_sync_batch=False)
            precommit.add(Partner._bde_sync_pending_mailing_lists)
        precommit.data.setdefault(PENDING_SYNC_KEY, set()).update(partners.ids)

    @api.model
    def _bde_sync_pending_mailing_lists(self):
        """Sync the partners noted by ``_bde_sync_mailing_lists`` in batch
        mode, in one set-wise sync."""
        ids = self.env.cr.precommit.data.pop(PENDING_SYNC_KEY, set())
        partners = self.sudo().with_context(active_test=False).browse(sorted(ids))
        self.env["mailing.list"].sudo()._bde_sync_mailing_lists(
            partners=partners.exists()
        )
        # Run before commit too, after the ORM's last flush.
        self.env.flush_all()
