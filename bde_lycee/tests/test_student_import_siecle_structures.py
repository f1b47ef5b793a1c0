import base64
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..siecle_xml import read_files, to_rows
from .common import BdeLyceeCase
from .siecle_xml_file import (
    many_students,
    nomenclature_xml,
    structures_xml,
    student,
    students_xml,
    zipped,
)

SCHOOL_YEAR = "2026-2027"
UAI = "0750655E"  # BdeLyceeCase's lycée
OTHER_UAI = "0690026D"  # and the other one's
# A Tle pro MEF of an academic experiment, in no national table: SIECLE's
# Nomenclature.xml describes it.
LOCAL_MEF = "2473199933"
LOCAL_MEF_SIECLE = (
    "24731999330",
    "TLEPRO",
    "PHOTOGRAPHIE ET EVENEMENTIEL",
    "TLEPRO PHOTOGRAPHIE ET EVENEMENTIEL",
    "Tle pro Photographie et évènementiel",
    "23830031999",
)
DIVISIONS = [
    ("TCUI", "Terminale Cuisine", "24722106330"),
    ("TPEV", "Terminale Photographie et évènementiel", "24731999330"),
]


def _students():
    """Two students of TCUI (one without CODE_MEF: Structures.xml gives it),
    two of TPEV, whose MEF is local."""
    return [
        student("6001", "2610022001A", "ÉTIENNE", "Noé", "06/06/2009", "TCUI"),
        student(
            "6002", "2610022002B", "FAURE", "Inès", "07/07/2009", "TCUI", "24722106330"
        ),
        student(
            "6003", "2610022003C", "GIRAUD", "Léa", "08/08/2009", "TPEV", "24731999330"
        ),
        student(
            "6004", "2610022004D", "HENRY", "Élie", "09/09/2009", "TPEV", "24731999330"
        ),
    ]


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImportSiecleStructures(BdeLyceeCase):
    """SIECLE's Structures.xml and Nomenclature.xml in the student import: the
    divisions' labels on the classes created, a local MEF created from its
    description, the lycée's UAI checked on each file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Class = cls.env["bde.class"].with_context(active_test=False)
        cls.Mef = cls.env["bde.mef"].with_context(active_test=False)
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def _wizard(self, uai=UAI, structures=None, user=None, nomenclature_uai=None):
        """An import of the students' export zipped with Nomenclature.xml,
        and Structures.xml uploaded alone as the structures file (none if
        ``structures`` is False)."""
        values = {
            "file": base64.b64encode(
                zipped(
                    {
                        "ElevesSansAdresses.xml": students_xml(_students(), uai),
                        "Nomenclature.xml": nomenclature_xml(
                            [LOCAL_MEF_SIECLE], nomenclature_uai or uai
                        ),
                    }
                )
            ),
            "file_name": "ExportXML_ElevesSansAdresses.zip",
            "school_year": SCHOOL_YEAR,
        }
        if structures is not False:
            values.update(
                structure_file=base64.b64encode(
                    structures or structures_xml(DIVISIONS, uai)
                ),
                structure_file_name="Structures.xml",
            )
        return (
            self.env["bde.student.import"]
            .with_user(user or self.user_officer)
            .create(values)
        )

    def _classes(self, company=None):
        return self.Class.search(
            [
                ("company_id", "=", (company or self.lycee).id),
                ("school_year", "=", SCHOOL_YEAR),
            ]
        )

    def test_reader_gives_labels_mefs_and_descriptions(self):
        files = read_files(structures_xml(DIVISIONS, UAI), "Structures.xml")
        files += read_files(
            zipped({"Nomenclature.xml": nomenclature_xml([LOCAL_MEF_SIECLE], UAI)}),
            "ExportXML_Nomenclature.zip",
        )
        structures, mefs = files
        self.assertEqual((structures.kind, structures.uai), ("structures", UAI))
        self.assertEqual(
            structures.divisions["TPEV"],
            {"label": "Terminale Photographie et évènementiel", "mef": LOCAL_MEF},
        )
        self.assertEqual(mefs.kind, "nomenclature")
        self.assertEqual(mefs.mefs[LOCAL_MEF]["mef_stat_11"], "23830031999")
        students = read_files(students_xml(_students(), UAI))[0]
        noe, _ines, lea, _elie = (
            row for _line, row in to_rows(students, None, structures, mefs)
        )
        self.assertEqual((noe["mef"], noe["division_mef"]), ("", "2472210633"))
        self.assertEqual(noe["division_label"], "Terminale Cuisine")
        self.assertNotIn("nomenclature_mef", noe)
        self.assertIs(lea["nomenclature_mef"], mefs.mefs[LOCAL_MEF])

    def test_labels_and_local_mef_created_after_the_preview(self):
        wizard = self._wizard()
        wizard.action_check()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(wizard.error_count, 0, wizard.result)
        self.assertEqual(wizard.planned_class_count, 2, wizard.result)
        self.assertIn("Terminale Photographie et évènementiel", wizard.result)
        self.assertIn("Tle pro Photographie et évènementiel", wizard.result)
        self.assertFalse(self.Mef.search([("code", "=", LOCAL_MEF)]), "only shown")
        self.assertFalse(self._classes())

        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(wizard.created_count, 4)
        mef = self.Mef.search([("code", "=", LOCAL_MEF)])
        self.assertRecordValues(
            mef,
            [
                {
                    "is_national": False,
                    "name": "Tle pro Photographie et évènementiel",
                    "diploma_code": "40031999",
                    "level": "bac_pro",
                    "mef_stat_4": "2383",
                    "mef_stat_11": "23830031999",
                    "year_of_training": 3,
                }
            ],
        )
        tpev = self._classes().filtered(lambda c: c.name == "TPEV")
        self.assertEqual(tpev.division_label, "Terminale Photographie et évènementiel")
        self.assertEqual((tpev.mef_code, tpev.mef_stat4), (LOCAL_MEF, "2383"))
        self.assertEqual(tpev.formation_id.name, "Bac pro Photographie et evenementiel")
        self.assertEqual(tpev.formation_id.company_id, self.lycee)
        self.assertEqual(len(tpev.student_ids), 2)
        tcui = self._classes().filtered(lambda c: c.name == "TCUI")
        self.assertEqual(tcui.division_label, "Terminale Cuisine")
        self.assertEqual(
            (tcui.mef_code, len(tcui.student_ids)),
            ("2472210633", 2),
            "Noé gives no MEF: Structures.xml's for TCUI",
        )
        self.assertFalse(wizard.structure_file, "the files go once imported")

    def test_local_mef_without_nomenclature_stays_an_error(self):
        wizard = self._wizard()
        wizard.write(
            {
                "file": base64.b64encode(students_xml(_students(), UAI)),
                "file_name": "ElevesSansAdresses.xml",
            }
        )
        wizard.action_check()
        self.assertEqual(wizard.planned_class_count, 1, "TCUI only")
        self.assertEqual(wizard.error_count, 2, wizard.result)
        self.assertIn("not in the MEF nomenclature", wizard.result)

    def test_files_of_another_lycee_import_nothing(self):
        cases = (
            {"structures": structures_xml(DIVISIONS, OTHER_UAI)},
            {"structures": False, "nomenclature_uai": OTHER_UAI},
        )
        for values in cases:
            with self.subTest(nomenclature_uai=values.get("nomenclature_uai")):
                wizard = self._wizard(**values)
                with self.assertRaisesRegex(UserError, OTHER_UAI):
                    wizard.action_import()
        self.assertFalse(self.Mef.search([("code", "=", LOCAL_MEF)]))
        self.assertFalse(self._classes())
        self.assertFalse(self.Partner.search([("bde_ine", "like", "26100220")]))

    def test_encodings(self):
        for encoding in ("ISO-8859-15", "ISO-8859-1", "UTF-8"):
            with self.subTest(encoding=encoding):
                data = structures_xml(DIVISIONS, UAI, encoding=encoding)
                self.assertIn("évènementiel".encode(encoding), data)
                wizard = self._wizard(structures=data)
                wizard.action_check()
                self.assertIn("Terminale Photographie et évènementiel", wizard.result)

    def test_two_lycees_share_the_local_mef_not_their_classes(self):
        first = self._wizard()
        first.action_check()
        first.action_import()
        self.assertEqual(first.state, "done", first.result)
        wizard = self._wizard(uai=OTHER_UAI, user=self.user_other_lycee)
        wizard.action_check()
        self.assertNotIn("Local MEF", wizard.result, "created by lycée 1 already")
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(len(self.Mef.search([("code", "=", LOCAL_MEF)])), 1)
        mine, theirs = self._classes(), self._classes(self.other_lycee)
        self.assertEqual(mine.mapped("name"), theirs.mapped("name"))
        self.assertFalse(mine & theirs)
        self.assertEqual(theirs.formation_id.company_id, self.other_lycee)
        self.assertEqual(
            theirs.student_ids.company_id, self.other_lycee, "nothing of lycée 1"
        )

    def test_big_export_job_reads_the_structures_file(self):
        """Above the wizard's limit the classes and the local MEF are created
        at once; the job re-reads the structures file per batch, and drops it
        when done."""
        Job = self.env["bde.student.import.job"]
        self.enterContext(
            patch.object(
                type(self.env["bde.student.import"]), "_bde_import_now_max_rows", 2
            )
        )
        self.enterContext(patch.object(type(Job), "_bde_batch_size", 2))
        wizard = self._wizard()
        wizard.action_check()
        wizard.action_import()
        job = wizard.job_id.sudo()
        self.assertTrue(job.structure_file)
        self.assertFalse(wizard.structure_file)
        self.assertEqual(len(self._classes()), 2)
        while job.state in ("queued", "running"):
            job._process_next_batch()
        self.assertEqual(job.state, "done", job.error)
        self.assertEqual(job.created_count, 4)
        self.assertFalse(job.structure_file)
        self.assertEqual(self._classes().student_ids.company_id, self.lycee)
        self.assertEqual(len(self._classes().student_ids), 4)

    def _check_queries(self, count):
        """Queries of the check of ``count`` students in the divisions of
        Structures.xml, none of which exists yet."""
        students = many_students(count, [("TPEV", "24731999330"), ("TCUI", "")])
        wizard = self._wizard()
        wizard.file = base64.b64encode(
            zipped(
                {
                    "ElevesSansAdresses.xml": students_xml(students, UAI),
                    "Nomenclature.xml": nomenclature_xml([LOCAL_MEF_SIECLE], UAI),
                }
            )
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        wizard.action_check()
        self.env.flush_all()
        self.assertEqual(wizard.planned_class_count, 2, wizard.result)
        return self.cr.sql_log_count - before

    def test_check_queries_do_not_grow_with_the_students(self):
        # The first checks fill the caches (rules, translations) later reuse.
        self._check_queries(4)
        self._check_queries(20)
        counts = [self._check_queries(count) for count in (100, 500)]
        self.assertEqual(counts[0], counts[1])
