from odoo import api, fields, models
from odoo.exceptions import UserError

# What a student types in their search log: a company's name, a short note.
STUDENT_NAME_MAX_LENGTH = 200
STUDENT_NOTE_MAX_LENGTH = 2000
# The fields a student fills on the portal; the others (person contacted,
# placement, lycée) are the staff's or derived.
STUDENT_FIELDS = {"company_name", "contact_date", "mode", "answer", "note"}


class BdePfmpSearchStep(models.Model):
    _inherit = "bde.pfmp.search.step"

    logged_by_student = fields.Boolean(
        readonly=True,
        copy=False,
        help="Logged by the student on the portal: they may change or delete "
        "it there; the steps the staff log are read-only for them.",
    )

    @api.model
    def _bde_student_steps(self, student):
        """The student's search log, as the portal shows it."""
        return self.sudo().search([("student_id", "=", student.id)])

    @api.model
    def _bde_student_log(self, student, values, offer=None):
        """Log a step of ``student``'s own search: a company of the offers
        they may answer (``offer``) or a name, and its answer. Called by the
        portal as superuser once the caller is known to be ``student``."""
        values = self._bde_student_values(values)
        if offer:
            values["partner_id"] = offer.partner_id.id
        placement = (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search(
                [
                    ("student_id", "=", student.id),
                    ("company_id", "=", student.company_id.id),
                    ("state", "=", "searching"),
                ],
                order="date_start, id",
                limit=1,
            )
        )
        return self.sudo().create(
            {
                **values,
                "student_id": student.id,
                "placement_id": placement.id,
                "company_id": student.company_id.id,
                "logged_by_student": True,
            }
        )

    def _bde_student_update(self, student, values):
        self._bde_student_check_own(student)
        self.sudo().write(self._bde_student_values(values))

    def _bde_student_delete(self, student):
        self._bde_student_check_own(student)
        self.sudo().unlink()

    def _bde_student_check_own(self, student):
        """A student changes the steps they logged themselves, never the
        staff's nor another student's."""
        for step in self.sudo():
            if step.student_id != student or not step.logged_by_student:
                raise UserError(
                    self.env._("Only the steps you logged yourself can be changed.")
                )

    @api.model
    def _bde_student_values(self, values):
        """The portal's input, checked: only the student's fields, known
        choices, texts of a bounded length, a real date."""
        values = {key: value for key, value in values.items() if key in STUDENT_FIELDS}
        for name in ("mode", "answer"):
            choices = dict(self._fields[name]._description_selection(self.env))
            if name in values and values[name] not in choices:
                raise UserError(self.env._("Choose one of the proposed answers."))
        if "contact_date" in values:
            try:
                values["contact_date"] = fields.Date.to_date(values["contact_date"])
            except ValueError as error:
                raise UserError(self.env._("Give the date as a date.")) from error
            if not values["contact_date"]:
                raise UserError(self.env._("Give the date of the contact."))
        for name, limit in (
            ("company_name", STUDENT_NAME_MAX_LENGTH),
            ("note", STUDENT_NOTE_MAX_LENGTH),
        ):
            if name in values:
                values[name] = (values[name] or "").strip() or False
                if values[name] and len(values[name]) > limit:
                    raise UserError(
                        self.env._(
                            "A text of the search log is limited to %(max)s "
                            "characters.",
                            max=limit,
                        )
                    )
        return values
