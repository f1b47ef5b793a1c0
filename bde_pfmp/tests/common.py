from odoo.addons.bde_lycee.tests.common import BdeLyceeCase


class BdePfmpCase(BdeLyceeCase):
    """The lycée's test class with a PFMP period, a host with its tutor, and a
    second student; the class's main teacher is the test teacher."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_class.teacher_id = cls.user_teacher
        cls.tutor = cls.env["res.partner"].create(
            {
                "name": "Paul Tuteur",
                "parent_id": cls.company_partner.id,
                "bde_is_tutor": True,
            }
        )
        cls.student_adult = cls.env["res.partner"].create(
            {
                "name": "Hugo Bernard",
                "bde_is_student": True,
                "bde_ine": "1234567891B",
                "bde_birthdate": "2006-01-10",
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )
        cls.period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 1",
                "class_id": cls.school_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )

    @classmethod
    def _make_placement(cls, student=None, **vals):
        values = {
            "student_id": (student or cls.student).id,
            "period_id": cls.period.id,
            "partner_id": cls.company_partner.id,
            "tutor_id": cls.tutor.id,
            "state": "host_found",
        }
        values.update(vals)
        return cls.env["bde.pfmp.placement"].create(values)

    @classmethod
    def _make_other_lycee_placement(cls, **vals):
        """A placement of a student of the second lycée, at the same host."""
        other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.other_lycee.id,
            }
        )
        other_student = cls.env["res.partner"].create(
            {
                "name": "Inès Roux",
                "bde_is_student": True,
                "bde_birthdate": "2007-05-05",
                "bde_class_id": other_class.id,
                "company_id": cls.other_lycee.id,
            }
        )
        return cls.env["bde.pfmp.placement"].create(
            {
                "student_id": other_student.id,
                "class_id": other_class.id,
                "date_start": "2025-12-01",
                "date_end": "2025-12-19",
                "partner_id": cls.company_partner.id,
                **vals,
            }
        )

    @classmethod
    def _sign_by_all(cls, placement, day="2025-10-27"):
        """Date every signature of the convention, the guardian's included."""
        placement.write(
            {
                "date_signed_school": day,
                "date_signed_host": day,
                "date_signed_tutor": day,
                "date_signed_teacher": day,
                "date_signed_student": day,
                "date_signed_guardian": day,
            }
        )
