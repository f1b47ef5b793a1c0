import base64
import csv
import io
from unittest.mock import patch

from odoo.tests import tagged

from .common import BdeLyceeCase
from .siecle_xml_file import student, students_xml, zipped

YEAR = "2026-2027"
HEADER = ["INE", "NOM", "PRENOM", "DATE NAISS", "DIVISION", "MEF"]
# 2nde pro MCV (diploma 40031213: the shared formation of BdeLyceeCase), and
# 1st and 2nd year of CAP Ébéniste (diploma 50023445: no formation yet).
MEF_2MCV, MEF_1CAP, MEF_2CAP = "2473121331", "2412344521", "2412344522"
DIPLOMAS = ("40031213", "50023445")


def _row(index, division, mef):
    return [f"26100{index:05d}A", f"NOM{index}", "Lina", "14/05/2010", division, mef]


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImportStructures(BdeLyceeCase):
    """The classes and formations a SIECLE file names are created from the
    MEF nomenclature, in the import's lycée, once the check showed them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Class = cls.env["bde.class"].with_context(active_test=False)
        cls.Formation = cls.env["bde.formation"].with_context(active_test=False)
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)
        # Whatever the database holds of these diplomas (demo data) is out.
        cls.Formation.search(
            [("diploma_code", "in", DIPLOMAS), ("id", "!=", cls.formation.id)]
        ).write({"active": False, "diploma_code": False})
        # Already there: lycée 1's Tle MCV of the year, lycée 2's 2 MCV and
        # lycée 2's own CAP Ebeniste formation.
        cls.class_tle = cls.Class.create(
            {
                "name": "T MCV A",
                "formation_id": cls.formation.id,
                "school_year": YEAR,
                "mef_code": "2473121333",
                "company_id": cls.lycee.id,
            }
        )
        cls.cap_other = cls.Formation.create(
            {
                "name": "CAP Ébéniste (Lumière)",
                "level": "cap",
                "diploma_code": "50023445",
                "company_id": cls.other_lycee.id,
            }
        )
        cls.class_other = cls.Class.create(
            {
                "name": "2 MCV",
                "formation_id": cls.formation.id,
                "school_year": YEAR,
                "mef_code": MEF_2MCV,
                "company_id": cls.other_lycee.id,
            }
        )
        cls.rows = [
            _row(1, "2 MCV", MEF_2MCV),
            _row(2, "2MCV", MEF_2MCV),
            _row(3, "1 CAP EBE A", MEF_1CAP),
            _row(4, "1 CAP EBE B", MEF_1CAP),
            _row(5, "2 CAP EBE", MEF_2CAP),
            _row(6, "T MCV A", "2473121333"),
        ]

    def _csv(self, rows):
        output = io.StringIO()
        csv.writer(output, delimiter=";").writerows([HEADER, *rows])
        return output.getvalue().encode()

    def _wizard(self, rows, user=None):
        return (
            self.env["bde.student.import"]
            .with_user(user or self.user_officer)
            .create(
                {
                    "file": base64.b64encode(self._csv(rows)),
                    "file_name": "siecle.csv",
                    "school_year": YEAR,
                }
            )
        )

    def _structures(self, company=None):
        company = company or self.lycee
        return (
            self.Class.search([("company_id", "=", company.id)]),
            self.Formation.search([("company_id", "=", company.id)]),
        )

    def _read_rows(self, rows):
        wizard = self._wizard(rows)
        return wizard, wizard._read_rows()

    # The plan

    def test_plan_reuses_the_formation_and_creates_the_missing_one(self):
        wizard, rows = self._read_rows(self.rows)
        plan = wizard._plan_structures(rows)
        self.assertEqual(
            plan.formations,
            {
                "50023445": {
                    "name": "CAP Ebeniste",
                    "level": "cap",
                    "diploma_code": "50023445",
                    "duration_years": 2,
                }
            },
            "lycée 2's own CAP Ebeniste is not lycée 1's",
        )
        self.assertEqual(
            [(c["name"], c["mef_code"], c["mef_stat4"]) for c in plan.classes],
            [
                ("2 MCV", MEF_2MCV, "2381"),
                ("1 CAP EBE A", MEF_1CAP, "2321"),
                ("1 CAP EBE B", MEF_1CAP, "2321"),
                ("2 CAP EBE", MEF_2CAP, "2322"),
            ],
        )
        self.assertEqual(plan.classes[0]["formation"], self.formation)
        self.assertEqual(
            {c["formation"] for c in plan.classes[1:]}, {"50023445"}, "one formation"
        )

    def test_plan_prefers_the_lycees_own_formation(self):
        own = self.Formation.create(
            {
                "name": "Bac pro MCV (Jaurès)",
                "level": "bac_pro",
                "diploma_code": "40031213",
                "company_id": self.lycee.id,
            }
        )
        wizard, rows = self._read_rows(self.rows[:1])
        self.assertEqual(wizard._plan_structures(rows).classes[0]["formation"], own)

    def test_archived_class_and_formation_are_not_duplicated(self):
        archived = self.Formation.create(
            {
                "name": "CAP Ébénisterie (ancien)",
                "level": "cap",
                "diploma_code": "50023445",
                "company_id": self.lycee.id,
                "active": False,
            }
        )
        self.Class.create(
            {
                "name": "2 MCV",
                "formation_id": self.formation.id,
                "school_year": YEAR,
                "company_id": self.lycee.id,
                "active": False,
            }
        )
        wizard, rows = self._read_rows(self.rows)
        plan = wizard._plan_structures(rows)
        self.assertFalse(plan.formations)
        self.assertEqual(
            [(c["name"], c["formation"]) for c in plan.classes],
            [(name, archived) for name in ("1 CAP EBE A", "1 CAP EBE B", "2 CAP EBE")],
        )
        wizard.action_check()
        self.assertEqual(wizard.error_count, 2, "the archived 2 MCV's rows")
        wizard.import_valid_only = True
        wizard.action_import()
        self.assertEqual((wizard.state, wizard.created_count), ("done", 4))

    def test_unknown_mef_inactive_and_left_rows_plan_nothing(self):
        wizard, rows = self._read_rows(
            [
                _row(1, "3 XYZ", "9999999999"),
                _row(2, "Inactifs", MEF_2MCV),
                _row(3, "2 VEN", ""),
            ]
        )
        xml_left = dict(rows[0][1], division="1 ANC", mef=MEF_1CAP, date_left="1/1/26")
        plan = wizard._plan_structures([*rows, (5, xml_left)])
        self.assertFalse(plan)
        self.assertEqual(plan.unknown_mefs, {"3xyz": "9999999999"})
        wizard.action_check()
        self.assertEqual(wizard.error_count, 3)
        self.assertIn(
            "There is no class 3 XYZ in 2026-2027 in this lycée.<br>Its MEF "
            "9999999999 is not in the MEF nomenclature",
            wizard.result,
        )
        self.assertIn("There is no class Inactifs", wizard.result)
        self.assertFalse(wizard.planned_class_count)

    def test_plan_reads_in_as_many_queries_for_five_times_the_divisions(self):
        def queries(count):
            mefs = (MEF_2MCV, MEF_1CAP, MEF_2CAP, "2473121332", "9999999999")
            wizard, rows = self._read_rows(
                [_row(i, f"D{i}", mefs[i % 5]) for i in range(count)]
            )
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            plan = wizard._plan_structures(rows)
            self.assertEqual(len(plan.classes), count * 4 // 5)
            return self.cr.sql_log_count - before

        queries(5)  # the rules and caches of the first call
        self.assertEqual(queries(10), queries(50))

    # The preview, then the import

    def test_the_import_creates_what_the_check_showed(self):
        classes, formations = self._structures()
        wizard = self._wizard(self.rows)
        wizard.action_check()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(
            (wizard.planned_formation_count, wizard.planned_class_count), (1, 4)
        )
        self.assertEqual(wizard.error_count, 0)
        self.assertIn("1 formation(s), 4 class(es) of 2026-2027", wizard.result)
        self.assertEqual(self._structures(), (classes, formations), "nothing yet")
        preview = wizard.result
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        new_classes = self._structures()[0] - classes
        new_formation = self._structures()[1] - formations
        self.assertEqual(
            sorted(new_classes.mapped("name")),
            ["1 CAP EBE A", "1 CAP EBE B", "2 CAP EBE", "2 MCV"],
        )
        for school_class in new_classes:
            self.assertIn(f"<td>{school_class.name}</td>", preview)
        self.assertEqual(preview.count("<td>Class</td>"), len(new_classes))
        self.assertEqual(preview.count("<td>Formation</td>"), len(new_formation))
        self.assertEqual(new_formation.name, "CAP Ebeniste")
        self.assertEqual(
            (new_formation.level, new_formation.duration_years), ("cap", 2)
        )
        self.assertEqual(
            new_classes.formation_id, new_formation | self.formation, "shared"
        )
        self.assertEqual(set(new_classes.mapped("school_year")), {YEAR})
        cap2 = new_classes.filtered(lambda c: c.name == "2 CAP EBE")
        self.assertEqual((cap2.mef_stat4, cap2.year_of_study), ("2322", 2))
        self.assertTrue(cap2.is_final_year)
        self.assertEqual(wizard.created_count, 6)
        students = self.Partner.search([("bde_ine", "like", "26100%")])
        self.assertEqual(
            students.bde_class_id, new_classes | self.class_tle, "in their class"
        )
        self.assertEqual(students.company_id, self.lycee)

    def test_the_preview_lists_them_before_the_import(self):
        wizard = self._wizard(self.rows)
        wizard.action_check()
        for text in ("CAP Ebeniste", "50023445", "2 MCV", MEF_1CAP, "Bac pro MCV test"):
            self.assertIn(f"<td>{text}", wizard.result)
        self.assertNotIn("<td>T MCV A</td>", wizard.result, "it exists")

    def test_no_creation_without_the_preview_of_this_file(self):
        before = self._structures()
        partners = self.Partner.search_count([])
        wizard = self._wizard(self.rows)
        wizard.action_import()  # no check: the import shows the preview
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(wizard.planned_class_count, 4)
        self.assertEqual(
            (self._structures(), self.Partner.search_count([])), (before, partners)
        )
        # The file changes after the preview: a new preview first.
        wizard.file = base64.b64encode(
            self._csv([*self.rows, _row(7, "2 BIS", MEF_2MCV)])
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(wizard.planned_class_count, 5)
        self.assertEqual(self._structures(), before)
        # A seal the server did not make unlocks nothing.
        wizard.structures_seal = "forged"
        wizard.action_import()
        self.assertEqual((wizard.state, self._structures()), ("checked", before))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(len(self._structures()[0] - before[0]), 5)

    def test_a_file_without_new_division_imports_at_once(self):
        wizard = self._wizard([self.rows[-1]])
        wizard.action_import()
        self.assertEqual((wizard.state, wizard.created_count), ("done", 1))
        self.assertFalse(wizard.structures_seal)

    def test_lycee_2_is_untouched(self):
        other = self._structures(self.other_lycee)
        wizard = self._wizard(self.rows)
        wizard.action_check()
        wizard.action_import()
        self.assertEqual(self._structures(self.other_lycee), other)
        self.assertEqual(self.class_other.student_count, 0)
        self.assertEqual(
            self.Class.search_count(
                [("name", "=", "2 MCV"), ("school_year", "=", YEAR)]
            ),
            2,
            "each lycée its own 2 MCV",
        )
        # Lycée 2's BDE manager imports the same file into lycée 2: its 2 MCV
        # and its CAP Ebeniste are used, lycée 1's are not.
        wizard = self._wizard(self.rows, user=self.user_other_lycee)
        wizard.action_check()
        self.assertEqual(
            (wizard.planned_formation_count, wizard.planned_class_count), (0, 4)
        )
        wizard.action_import()
        new = self._structures(self.other_lycee)[0] - other[0]
        self.assertEqual(new.formation_id, self.cap_other | self.formation)
        self.assertEqual(new.company_id, self.other_lycee)

    def test_structures_are_created_before_the_job_is_queued(self):
        wizard = self._wizard(self.rows)
        wizard.action_check()
        with patch.object(type(wizard), "_bde_import_now_max_rows", 2):
            wizard.action_import()
        self.assertEqual(wizard.state, "queued")
        self.assertEqual(len(self._structures()[0]), 6, "2 of setUp, 4 new")
        job = wizard.job_id.sudo()
        self.assertEqual(job.state, "queued")
        while job.state in ("queued", "running"):
            job._process_next_batch()
        self.assertEqual((job.state, job.error), ("done", False))
        self.assertEqual(self.Partner.search_count([("bde_ine", "like", "26100%")]), 6)

    def test_siecle_xml_export_creates_its_divisions(self):
        """SIECLE's XML: the 11-character CODE_MEF, the division of type D;
        neither "Inactifs" nor the division of a student who left becomes a
        class."""
        students = [
            student(
                "1",
                "2610000001A",
                "NOM",
                "Lina",
                "14/05/2010",
                "2CAPEBE",
                mef=MEF_2CAP + "0",
                groups=("G1 ANGLAIS",),
            ),
            student(
                "2",
                "2610000002A",
                "NOM",
                "Noé",
                "14/05/2010",
                "Inactifs",
                mef=MEF_1CAP + "0",
            ),
            student(
                "3",
                "2610000003A",
                "NOM",
                "Léo",
                "14/05/2010",
                "1ANC",
                mef=MEF_1CAP + "0",
                date_left="15/10/2026",
            ),
        ]
        xml = students_xml(students, self.lycee.bde_uai, year=2026)
        before = self._structures()
        wizard = (
            self.env["bde.student.import"]
            .with_user(self.user_officer)
            .create(
                {
                    "file": base64.b64encode(zipped({"ElevesSansAdresses.xml": xml})),
                    "file_name": "ExportXML_ElevesSansAdresses.zip",
                    "school_year": YEAR,
                }
            )
        )
        wizard.action_check()
        self.assertEqual(
            (wizard.planned_formation_count, wizard.planned_class_count), (1, 1)
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        new_class = self._structures()[0] - before[0]
        self.assertEqual(
            (new_class.name, new_class.mef_code, new_class.formation_id.name),
            ("2CAPEBE", MEF_2CAP, "CAP Ebeniste"),
        )
        self.assertEqual(new_class.student_ids.bde_ine, "2610000001A")
