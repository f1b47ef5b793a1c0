"""Browser scenarios of the alumni module (Odoo tours in a real Chromium);
the tours live in bde_alumni/static/tests/tours."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "bde_tour")
class TestBdeAlumniTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.formation = cls.env["bde.formation"].create(
            {"name": "Bac pro Tour test", "level": "bac_pro"}
        )
        cls.env["bde.class"].create(
            {
                "name": "T TOUR test",
                "formation_id": cls.formation.id,
                "school_year": "2024-2025",
                "company_id": cls.company.id,
            }
        )
        cls.alumni = cls.env["res.partner"].create(
            {
                "name": "Inès Tourneur",
                "email": "ines.tourneur@example.com",
                "company_id": cls.company.id,
                "bde_is_alumni": True,
                "bde_exit_year": 2025,
                "bde_exit_date": "2025-07-04",
                "bde_exit_formation_id": cls.formation.id,
            }
        )
        # A robot posts at once; the tour's browser is fast too.
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)

    def test_alumni_page_tour(self):
        self.start_tour("/bde/alumni", "bde_alumni_page_tour")
        alumni_request = self.env["bde.alumni.request"].search(
            [("email", "=", "ines.tourneur@example.com")]
        )
        self.assertRecordValues(
            alumni_request,
            [
                {
                    "state": "pending",
                    "exit_year": 2025,
                    "formation_id": self.formation.id,
                    "status": "employed",
                    "contract_type": "permanent",
                    "employer_name": "Garage du Tour",
                    "network_consent": False,
                    "contact_consent": True,
                    "willing_tutor": True,
                }
            ],
        )
        # Double opt-in: the alumni is untouched until the link is followed.
        self.assertFalse(self.alumni.bde_alumni_situation_ids)
        self.start_tour(
            f"/bde/alumni/confirm/{alumni_request.token}", "bde_alumni_confirm_tour"
        )
        self.assertEqual(alumni_request.state, "confirmed")
        self.assertEqual(self.alumni.bde_alumni_status, "employed")
        self.assertEqual(self.alumni.bde_alumni_situation_id.job_title, "Mécanicienne")
        self.assertTrue(self.alumni.bde_alumni_contact_consent)
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        self.assertTrue(self.alumni.bde_alumni_willing_tutor)

    def test_graduation_tour(self):
        officer = new_test_user(
            self.env,
            login="tour_alumni_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        formation = self.env["bde.formation"].create(
            {"name": "CAP Tour test", "level": "cap", "duration_years": 2}
        )
        school_class = self.env["bde.class"].create(
            {
                "name": "T TOUR graduation",
                "formation_id": formation.id,
                "school_year": "2025-2026",
                "mef_stat4": "2402",
                "company_id": self.company.id,
            }
        )
        students = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "bde_is_student": True,
                    "bde_class_id": school_class.id,
                    "company_id": self.company.id,
                }
                for name in ("Inès Diplômée", "Noé Discret")
            ]
        )
        self.assertTrue(school_class.is_final_year)
        self.start_tour(
            f"/odoo/bde-classes/{school_class.id}",
            "bde_alumni_graduation_tour",
            login=officer.login,
        )
        graduate, classmate = students
        self.assertRecordValues(
            students,
            [
                {
                    "bde_is_alumni": True,
                    "bde_is_student": False,
                    "bde_exit_class_id": school_class.id,
                    "bde_exit_formation_id": formation.id,
                    "bde_alumni_network_consent": True,
                    "bde_alumni_network_consent_source": "graduation",
                    "bde_diploma_result": "obtained",
                },
                {
                    "bde_is_alumni": True,
                    "bde_is_student": False,
                    "bde_exit_class_id": school_class.id,
                    "bde_exit_formation_id": formation.id,
                    "bde_alumni_network_consent": False,
                    "bde_alumni_network_consent_source": False,
                    "bde_diploma_result": "unknown",
                },
            ],
        )
        self.assertEqual(graduate.bde_exit_year, classmate.bde_exit_year)
