from odoo.addons.bde_lycee.tests.common import BdeLyceeCase


class BdeAlumniCase(BdeLyceeCase):
    """The lycée's test class graduated on 4 July 2026: the test student is an
    alumni of the 2026 cohort of the test formation, with both consents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alumni = cls.student
        cls.alumni.write(
            {
                "email": "lea.martin@example.com",
                "bde_is_alumni": True,
                "bde_exit_class_id": cls.school_class.id,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": 2026,
                "bde_exit_date": "2026-07-04",
                "bde_diploma_result": "obtained",
            }
        )
        cls.alumni._bde_alumni_give_consent(
            network=True, contact=True, source="graduation"
        )

    @classmethod
    def _make_situation(cls, partner=None, **vals):
        values = {
            "partner_id": (partner or cls.alumni).id,
            "date": "2027-01-10",
            "status": "employed",
            "contract_type": "permanent",
            "source": "phone",
        }
        values.update(vals)
        return cls.env["bde.alumni.situation"].create(values)

    @classmethod
    def _make_alumni(cls, name, exit_date="2026-07-04", **vals):
        """An alumni of the test formation who left on ``exit_date``, without
        consent unless ``vals`` gives it."""
        values = {
            "name": name,
            "bde_is_alumni": True,
            "bde_exit_class_id": cls.school_class.id,
            "bde_exit_formation_id": cls.formation.id,
            "bde_exit_year": int(exit_date[:4]),
            "bde_exit_date": exit_date,
            "company_id": cls.lycee.id,
        }
        values.update(vals)
        return cls.env["res.partner"].create(values)
