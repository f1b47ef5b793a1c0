import re
from io import BytesIO

from lxml import html as lxml_html

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.bde_lycee.sign_anchor import find_anchors

from .common import BdePfmpCase

REPORT = "bde_pfmp.report_bde_pfmp_convention"
ROLES = ("head", "host", "tutor", "teacher", "student", "guardian")
ARTICLES = (
    "Article 1 — Objet",
    "Article 2 — Finalité de la période",
    "Article 3 — Modalités et annexes",
    "Article 4 — Statut de l'élève",
    "Article 5 — Durée du travail",
    "Article 6 — Travaux réglementés et sécurité",
    "Article 7 — Assurance et responsabilité civile",
    "Article 8 — Accident du travail",
    "Article 9 — Discipline",
    "Article 10 — Encadrement et suivi",
    "Article 11 — Absences",
    "Article 12 — Attestation de stage",
    "Article 13 — Gratification",
    "Article 14 — Suspension et résiliation",
    "Article 15 — Lieu et conditions propres à la période",
)
DELIBERATION = "Délibération n° 2025-14 du 12 juin 2025"


def _text(html):
    """The text a reader sees: entities decoded, blanks folded, a table's
    cells apart."""
    html = html.replace("</th>", " </th>").replace("</td>", " </td>")
    pages = lxml_html.fromstring(html).find_class("page")
    text = " ".join(page.text_content() for page in pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


class ConventionCase(BdePfmpCase):
    """A lycée whose head of school, DDFPT and board authorisation are set,
    French in the database, and a tutor who is not the host's representative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.user_manager.name = "Hélène Rousseau"
        cls.ddfpt = new_test_user(
            cls.env,
            login="bde_ddfpt",
            name="Marc Dufour",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.lycee.write(
            {
                "bde_head_of_school_user_id": cls.user_manager.id,
                "bde_ddfpt_user_id": cls.ddfpt.id,
                "bde_board_deliberation": DELIBERATION,
                "city": "Lyon",
            }
        )
        cls.company_partner.write({"street": "3 rue du Four", "zip": "69003"})
        cls.director = cls.env["res.partner"].create(
            {
                "name": "Sophie Gérante",
                "function": "Gérante",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.guardian = cls.env["res.partner"].create({"name": "Claire Martin"})
        cls.student.bde_legal_guardian_id = cls.guardian

    def _make_convention(self, **vals):
        values = {"hours_per_week": 35, "hours_per_day": 7}
        if "host_signatory_id" in self.env["bde.pfmp.placement"]._fields:
            values["host_signatory_id"] = self.director.id
        values.update(vals)
        return self._make_placement(**values)

    def _render(self, placements, user=None):
        report = self.env["ir.actions.report"]
        if user:
            report = report.with_user(user)
        html, _report_type = report._render_qweb_html(REPORT, placements.ids)
        return html.decode()


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpConventionModel(ConventionCase):
    def test_convention_of_a_minor_follows_the_national_model(self):
        placement = self._make_convention(
            activities_planned="<p>Mise en rayon du rayon frais</p>",
            meal_terms="Cantine du personnel",
        )
        html = self._render(placement)
        text = _text(html)
        for article in ARTICLES:
            self.assertIn(article, text)
        for line in (
            "Titre I — Dispositions générales",
            "Titre II — Dispositions particulières",
            "Annexe pédagogique",
            "Annexe financière",
            "représenté par son chef d'établissement, Hélène Rousseau, autorisé à "
            f"signer la présente convention par délibération du conseil "
            f"d'administration ({DELIBERATION})",
            "DDFPT Marc Dufour",
            "Durée prévue : 35 heures par semaine, 7 heures au plus par jour.",
            "L'élève est mineur",
            "mineur(e), représenté(e) par Claire Martin, son représentant légal",
            "Mise en rayon du rayon frais",
            "Restauration Cantine du personnel",
            "décret n° 2023-765 du 11 août 2023",
            "Gratification non due",
            "en 4 exemplaires",
            # The lycée's French, whatever the user's language.
            "Période du 03/11/2025 au 28/11/2025",
        ):
            self.assertIn(line, text)
        self.assertNotIn("35:00", text)
        if "host_signatory_id" in placement._fields:
            self.assertIn("représenté par Sophie Gérante, Gérante", text)
        for role in ROLES:
            self.assertEqual(html.count(f"[[sign:{role}]]"), 1, role)

    def test_convention_states_the_allowance_of_the_period(self):
        placement = self._make_convention()
        rate = placement.allowance_rate_id
        self.assertTrue(rate)
        text = _text(self._render(placement))
        daily = f"{rate.daily_rate:.2f}".replace(".", ",")
        cap = f"{rate.yearly_cap:,.2f}".replace(",", " ").replace(".", ",")
        self.assertIn(
            f"Montant journalier : {daily} €, dans la limite de {cap} €", text
        )
        # 19 working days planned (11 November is off).
        estimate = min(19 * rate.daily_rate, rate.yearly_cap)
        self.assertIn(
            f"Montant estimé pour cette période : {estimate:.2f}".replace(".", ","),
            text,
        )

    def test_convention_of_an_adult_has_no_guardian(self):
        placement = self._make_convention(student=self.student_adult)
        html = self._render(placement)
        text = _text(html)
        self.assertIn("Hugo Bernard", text)
        self.assertNotIn("L'élève est mineur", text)
        self.assertNotIn("représentant légal", text)
        self.assertNotIn("[[sign:guardian]]", html)
        self.assertIn("en 3 exemplaires", text)
        for role in ROLES[:-1]:
            self.assertEqual(html.count(f"[[sign:{role}]]"), 1, role)

    def test_gratification_due_is_stated_with_its_amount(self):
        self._make_convention(
            period_id=False, date_start="2025-09-08", date_end="2025-10-17"
        )
        winter = self._make_convention(
            period_id=False, date_start="2026-01-05", date_end="2026-02-13"
        )
        text = _text(self._render(winter))
        self.assertIn("Pour la présente période, la gratification est due", text)
        self.assertIn(
            "Montant horaire minimal : 4,50 € ; heures prévues : 210 heures ; "
            "montant minimal estimé : 945,00 €",
            text,
        )
        self.assertNotIn("Gratification non due", text)

    def test_empty_fields_leave_no_label(self):
        placement = self._make_convention(hours_per_week=0, hours_per_day=0)
        placement.teacher_id = False
        text = _text(self._render(placement))
        for label in (
            "Durée prévue",
            "Horaires",
            "Enseignant référent",
            "Activités prévues",
            "Compétences visées",
            "Restauration",
            "Hébergement",
        ):
            self.assertNotIn(label, text)
        for stray in (" , ", ",,", "()", "None", "False", "……"):
            self.assertNotIn(stray, text)

    def test_ddfpt_signs_by_delegation(self):
        self.lycee.bde_sign_by_ddfpt = True
        placement = self._make_convention(student=self.student_adult)
        text = _text(self._render(placement))
        self.assertIn(
            "signée, par délégation du chef d'établissement, par Marc Dufour", text
        )
        self.assertIn(
            "Pour l'établissement Par délégation du chef d’établissement, le DDFPT "
            "Marc Dufour",
            text,
        )

    def test_french_for_a_user_who_reads_english(self):
        self.user_officer.lang = "en_US"
        placement = self._make_convention()
        text = _text(self._render(placement, user=self.user_officer))
        self.assertIn("Période du 03/11/2025 au 28/11/2025", text)
        self.assertIn("Signatures Les parties signent la présente convention", text)
        self.assertNotIn("11/03/2025", text)

    def test_pages_are_numbered(self):
        """The footer that wkhtmltopdf repeats on every page, as Odoo prepares
        it for the PDF, numbers the pages ("Page: x / y")."""
        placement = self._make_convention()
        report = self.env["ir.actions.report"]._get_report(REPORT)
        html, _report_type = report._render_qweb_html(
            REPORT, placement.ids, data={"report_type": "pdf"}
        )
        _bodies, _ids, _header, footer, _args = report._prepare_html(
            html, report_model=report.model
        )
        footer = str(footer)
        self.assertIn('class="page"', footer)
        self.assertIn('class="topage"', footer)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpConventionPdf(ConventionCase, HttpCase):
    """An HttpCase: wkhtmltopdf loads the report's assets from the server."""

    def test_pdf_keeps_the_signatures_with_the_last_article(self):
        placement = self._make_convention(
            activities_planned="<p>Mise en rayon</p>" * 6,
            skills_planned="<p>Accueillir le client</p>" * 6,
            meal_terms="Cantine du personnel",
            transport_terms="Transports en commun",
        )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, placement.ids)
        )
        self.assertEqual(report_type, "pdf")
        pages = PdfFileReader(BytesIO(pdf)).pages
        self.assertGreaterEqual(len(pages), 3)
        self.assertLessEqual(len(pages), 6)
        anchors = find_anchors(pdf)
        self.assertEqual(set(anchors), set(ROLES))
        # The signature block is not split, and closes the document.
        self.assertEqual({anchor[0] for anchor in anchors.values()}, {len(pages)})
        # Below the text it closes, on the same page.
        self.assertGreater(min(anchor[2] for anchor in anchors.values()), 15)
