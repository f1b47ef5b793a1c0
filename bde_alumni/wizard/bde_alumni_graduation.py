from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.bde_lycee.school_year import school_year_bounds

from ..models.res_partner import DIPLOMA_RESULTS


class BdeAlumniGraduation(models.TransientModel):
    """Turns the students of a final-year class into alumni at the end of the
    school year, with their diploma result and the consents they gave on
    paper."""

    _name = "bde.alumni.graduation"
    _description = "Graduation of a class"

    class_id = fields.Many2one("bde.class", string="Class", required=True)
    exit_date = fields.Date(
        required=True,
        compute="_compute_exit_date",
        store=True,
        readonly=False,
        help="Last day of the school year for these students: months after "
        "exit count from it.",
    )
    line_ids = fields.One2many(
        "bde.alumni.graduation.line",
        "wizard_id",
        string="Students",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("class_id")
    def _compute_exit_date(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if not wizard.class_id:
                wizard.exit_date = False
                continue
            year_end = school_year_bounds(wizard.class_id.school_year)[1]
            wizard.exit_date = min(today, year_end)

    @api.depends("class_id")
    def _compute_line_ids(self):
        for wizard in self:
            students = wizard.class_id.student_ids | self._graduated_students(
                wizard.class_id
            )
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "student_id": student.id,
                        "diploma_result": student.bde_diploma_result or "unknown",
                    }
                )
                for student in students.sorted("name")
            ]

    @api.model
    def _graduated_students(self, school_class):
        """Alumni already graduated from the class: graduating it again
        updates them instead of leaving them out."""
        if not school_class:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [("bde_exit_class_id", "=", school_class.id)]
        )

    def action_graduate(self):
        self.ensure_one()
        self._check_graduation()
        for line in self.line_ids:
            line._graduate()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_alumni.res_partner_action_alumni_all"
        )
        action["domain"] = [("bde_exit_class_id", "=", self.class_id.id)]
        return action

    def _check_graduation(self):
        school_class = self.class_id
        if not school_class.is_final_year:
            raise UserError(
                self.env._(
                    "%(class)s is not a final-year class: only students who "
                    "leave the formation become alumni.",
                    **{"class": school_class.display_name},
                )
            )
        if self.exit_date < school_year_bounds(school_class.school_year)[0]:
            raise UserError(
                self.env._(
                    "The exit date is before the %(year)s school year of the class.",
                    year=school_class.school_year,
                )
            )
        if not self.line_ids:
            raise UserError(self.env._("The class has no student to graduate."))


class BdeAlumniGraduationLine(models.TransientModel):
    _name = "bde.alumni.graduation.line"
    _description = "Student of a graduating class"

    wizard_id = fields.Many2one(
        "bde.alumni.graduation", required=True, ondelete="cascade"
    )
    student_id = fields.Many2one("res.partner", string="Student", required=True)
    diploma_result = fields.Selection(
        DIPLOMA_RESULTS, string="Diploma", required=True, default="unknown"
    )
    network_consent = fields.Boolean(
        string="Joins the network",
        help="Ticked on the graduation form signed by the student.",
    )
    contact_consent = fields.Boolean(
        string="Agrees to be contacted",
        help="Ticked on the graduation form signed by the student.",
    )

    def _graduate(self):
        """Make the student an alumni of the class; a second graduation only
        updates the result and adds consents, it never withdraws them."""
        wizard = self.wizard_id
        school_class = wizard.class_id
        student = self.student_id
        was_alumni = student.bde_exit_class_id == school_class
        student.write(
            {
                "bde_is_alumni": True,
                "bde_is_student": False,
                "bde_exit_class_id": school_class.id,
                "bde_exit_formation_id": school_class.formation_id.id,
                "bde_exit_year": wizard.exit_date.year,
                "bde_exit_date": wizard.exit_date,
                "bde_diploma_result": self.diploma_result,
            }
        )
        student._bde_alumni_give_consent(
            network=self.network_consent and not student.bde_alumni_network_consent,
            contact=self.contact_consent and not student.bde_alumni_contact_consent,
            source="graduation",
        )
        if not was_alumni:
            student.message_post(
                body=self.env._(
                    "Left the lycée from %(class)s on %(date)s: now an alumni.",
                    **{
                        "class": school_class.display_name,
                        "date": format_date(self.env, wizard.exit_date),
                    },
                )
            )
