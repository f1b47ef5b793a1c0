import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..school_year import is_school_year, school_year_of

MEF_RE = re.compile(r"^\d{10}$")
MEF_STAT4_RE = re.compile(r"^[0-9A-Z]{4}$")


class BdeClass(models.Model):
    """A class (division) of one school year, e.g. ``TMCV A`` in 2025-2026.

    Its MEF code ties it to the national nomenclature, which decides the PFMP
    allowance rates; its MEF_STAT4 level is the fallback of that lookup."""

    _name = "bde.class"
    _description = "Class"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "school_year desc, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    formation_id = fields.Many2one(
        "bde.formation", required=True, tracking=True, check_company=True
    )
    level = fields.Selection(related="formation_id.level", store=True)
    sector_id = fields.Many2one(related="formation_id.sector_id", store=True)
    school_year = fields.Char(
        required=True,
        default=lambda self: school_year_of(fields.Date.context_today(self)),
        tracking=True,
        help="School year of the class, written 2025-2026.",
    )
    division_label = fields.Char(
        help="The division's long label in SIECLE (Structures.xml), e.g. "
        "Terminale Métiers du commerce et de la vente A; the class's name "
        "stays the division's code, which imports match.",
    )
    mef_code = fields.Char(
        string="MEF code",
        help="10-digit MEF code of the class in SIECLE, e.g. 2473121333.",
        tracking=True,
    )
    mef_id = fields.Many2one(
        "bde.mef",
        string="MEF",
        compute="_compute_mef_id",
        help="The MEF code in the national nomenclature: its label, diploma "
        "code and year of study.",
    )
    mef_stat4 = fields.Char(
        string="MEF_STAT4 level",
        help="4-character level of the MEF (e.g. 2383 for Tle pro), used when "
        "the MEF itself has no allowance rate.",
    )
    year_of_study = fields.Integer(
        compute="_compute_year_of_study",
        store=True,
        readonly=False,
        help="Year of study within the formation (1 for 2nde pro or 1st year "
        "CAP), read from the MEF_STAT4 level when it gives it.",
    )
    is_final_year = fields.Boolean(
        compute="_compute_is_final_year",
        store=True,
        help="Last year of the formation: its students leave the lycée at the "
        "end of the school year.",
    )
    teacher_id = fields.Many2one(
        "res.users",
        string="Main teacher",
        help="Professeur principal of the class.",
        # The teachers' record rules on placements, visits and ratings
        # filter by the class's main teacher.
        index=True,
        tracking=True,
    )
    student_ids = fields.One2many(
        "res.partner",
        "bde_class_id",
        string="Students",
        domain=[("bde_is_student", "=", True)],
    )
    student_count = fields.Integer(compute="_compute_student_count")
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_year_company_uniq",
            "unique (name, school_year, company_id)",
            "A class with this name already exists for this school year.",
        ),
    ]

    @api.depends("mef_code")
    def _compute_mef_id(self):
        codes = {code for code in self.mapped("mef_code") if code}
        mefs = {
            mef.code: mef
            for mef in self.env["bde.mef"].search([("code", "in", list(codes))])
        }
        for school_class in self:
            school_class.mef_id = mefs.get(school_class.mef_code)

    @api.depends("mef_stat4")
    def _compute_year_of_study(self):
        for school_class in self:
            last = (school_class.mef_stat4 or "")[-1:]
            if last.isdigit() and last != "0":
                school_class.year_of_study = int(last)
            else:
                school_class.year_of_study = school_class.year_of_study or 1

    @api.depends("year_of_study", "formation_id.duration_years")
    def _compute_is_final_year(self):
        for school_class in self:
            duration = school_class.formation_id.duration_years or 1
            school_class.is_final_year = school_class.year_of_study >= duration

    @api.depends("student_ids")
    def _compute_student_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("bde_class_id", "in", self.ids), ("bde_is_student", "=", True)],
                ["bde_class_id"],
                ["__count"],
            )
        )
        for school_class in self:
            school_class.student_count = counts.get(school_class, 0)

    @api.constrains("school_year")
    def _check_school_year(self):
        for school_class in self:
            if not is_school_year(school_class.school_year):
                raise ValidationError(
                    self.env._(
                        "The school year %(year)s of class %(name)s must read "
                        "like 2025-2026.",
                        year=school_class.school_year,
                        name=school_class.name,
                    )
                )

    @api.constrains("mef_code", "mef_stat4")
    def _check_mef(self):
        for school_class in self:
            if school_class.mef_code and not MEF_RE.match(school_class.mef_code):
                raise ValidationError(
                    self.env._(
                        "The MEF code %(code)s of class %(name)s must have 10 digits.",
                        code=school_class.mef_code,
                        name=school_class.name,
                    )
                )
            if school_class.mef_stat4 and not MEF_STAT4_RE.match(
                school_class.mef_stat4
            ):
                raise ValidationError(
                    self.env._(
                        "The MEF_STAT4 level %(level)s of class %(name)s must have "
                        "4 characters (digits or capital letters).",
                        level=school_class.mef_stat4,
                        name=school_class.name,
                    )
                )

    @api.depends("name", "school_year")
    def _compute_display_name(self):
        for school_class in self:
            school_class.display_name = (
                f"{school_class.name} ({school_class.school_year})"
            )

    def action_view_students(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.res_partner_action_student"
        )
        action["domain"] = [("bde_class_id", "=", self.id)]
        action["context"] = {
            "default_bde_class_id": self.id,
            "default_bde_is_student": True,
            "default_company_id": self.company_id.id,
        }
        return action
