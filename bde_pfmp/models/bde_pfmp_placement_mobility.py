import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

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
