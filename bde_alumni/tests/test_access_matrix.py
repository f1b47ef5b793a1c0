"""The access matrix of the suite: every model (stored and transient) and the
nominative records the suite keeps in Odoo's own models, against every role
of another lycée and every way the ORM offers in.

The matrix is generated: the models are read from the registry, so a model
added to the suite later is checked as soon as it has a fixture, and fails
("no fixture for model X") until it has one. bde_alumni depends on the two
other modules, so every model of the suite is installed when this runs."""

import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)
from odoo.addons.bde_pfmp.tests.common import BdePfmpCase

SUITE_MODULES = {"bde_lycee", "bde_pfmp", "bde_alumni"}

# Models no lycée owns: every lycée of the database reads them, and they name
# no student, alumni, guardian or tutor.
SHARED_MODELS = {
    "bde.network": "a network groups several lycées: each of them reads it",
    "bde.sector": "the catalogue of trade sectors, the same for every lycée",
    "bde.skill": "the catalogue of skills that companies ask for",
    "bde.formation": "diploma specialities of the national catalogue, taught "
    "by several lycées (a lycée's own formation is kept by its company rule)",
    "bde.allowance.rate": "the national allowance table (domain.md): the "
    "State's rates, changed by the database's administrator only",
    "bde.gratification.rate": "the national minimum of the hosts' gratification "
    "(15 % of the social-security ceiling), changed by the administrator only",
    "bde.framework.agreement": "the Ministry's or the académie's framework "
    "agreements with companies, the same for every lycée",
    "bde.mef": "the national MEF nomenclature, and the MEFs a lycée adds to it",
}

# Figures: the network reader reads them for every lycée they follow. The
# reader who follows both lycées may reach them, but never a person's name
# through them (host ratings keep their student, rater and comment behind
# field groups).
FIGURE_MODELS = {
    "bde.lycee.report",
    "bde.network.report",
    "bde.convention.report",
    "bde.event.report",
    "bde.tax.report",
    "bde.alumni.indicator",
    "bde.alumni.indicator.export",
    "bde.alumni.official.indicator",
    "bde.alumni.official.comparison",
    "bde.host.rating",
}
# Transient records are their creator's alone: a colleague of the same lycée,
# head of school, reads none of them either (and makes their own).
COLLEAGUE = "colleague_head_of_school_lycee1"
# The persons of lycée 1's fixtures, and the first names its free texts use.
PERSON_NAMES = ("Léa", "Martin", "Hugo", "Bernard", "Inès", "Durand", "Sophie")

OPERATIONS = (
    "read",
    "write",
    "create",
    "unlink",
    "search",
    "search_count",
    "read_group",
    "name_search",
    "export",
    "download",
)
# Records every lycée reads (SHARED_MODELS, host companies and their
# contacts): a role of lycée 2 reads them, and finds them, but learns nothing
# of lycée 1's persons through them, neither from their values nor by
# searching them through their links to lycée 1's records.
SHARED_OPERATIONS = ("read", "read_group", "name_search", "export", "search_by_link")
# A write, create or unlink the server refuses for a business reason (an
# incompatible company, a state) changed nothing either: only reading
# operations must refuse by an access error or answer nothing.
WRITING_OPERATIONS = {"write", "create", "unlink"}
SIMPLE_FIELD_TYPES = ("char", "text", "html")


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
class TestAccessMatrix(BdePfmpCase):
    """Lycée 1 holds one record of every model of the suite and of every
    nominative record the suite writes in Odoo's models; no role of lycée 2
    reaches any of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = cls._make_roles()
        cls.alumni = cls._make_fixture_alumni()
        cls.guardian = cls.env["res.partner"].create(
            {"name": "Sophie Martin", "company_id": cls.lycee.id}
        )
        cls.student.bde_legal_guardian_id = cls.guardian
        cls.placement = cls._make_placement(
            state="done", teacher_id=cls.user_teacher.id
        )
        cls.event = cls.env["event.event"].create(
            {
                "name": "Remise des diplômes test",
                "event_type_id": cls.env.ref(
                    "bde_lycee.event_type_diploma_ceremony"
                ).id,
                "date_begin": "2026-07-03 16:00:00",
                "date_end": "2026-07-03 19:00:00",
                "company_id": cls.lycee.id,
            }
        )
        cls._sign_request = None
        cls.fixtures = cls._make_fixtures()
        cls.lycee1_records = {
            (record._name, record.id)
            for record in (
                *cls.fixtures.values(),
                cls.student,
                cls.student_adult,
                cls.alumni,
                cls.guardian,
                cls.event,
            )
        }
        cls.create_overrides = cls._create_overrides()
        cls.shared_fixtures = cls._shared_fixtures()

    # ------------------------------------------------------------
    # Roles of lycée 2
    # ------------------------------------------------------------

    @classmethod
    def _make_roles(cls):
        """One user per role of lycée 2, in lycée 2 only, and an academic
        correspondent following both lycées (who reads figures only)."""
        lycee2 = [cls.other_lycee.id]
        roles = {
            "teacher": ("bde_lycee.group_bde_user", lycee2),
            "bde_manager": ("bde_lycee.group_bde_officer", lycee2),
            "head_of_school": ("bde_lycee.group_bde_manager", lycee2),
            "network_reader": ("bde_lycee.group_bde_network_reader", lycee2),
            "network_reader_both": (
                "bde_lycee.group_bde_network_reader",
                [cls.other_lycee.id, cls.lycee.id],
            ),
        }
        users = {
            role: new_test_user(
                cls.env,
                login=f"matrix_{role}",
                # exporting gives no right on records: a careless
                # administrator's grant must not open another lycée
                groups=f"base.group_user,base.group_allow_export,{groups}",
                company_id=cls.other_lycee.id,
                company_ids=company_ids,
            )
            for role, (groups, company_ids) in roles.items()
        }
        host2 = cls.env["res.partner"].create(
            {"name": "Garage Lumière", "is_company": True}
        )
        users["portal_tutor"] = new_test_user(
            cls.env,
            login="matrix_portal_tutor",
            groups="base.group_portal,base.group_allow_export",
            company_id=cls.other_lycee.id,
            company_ids=lycee2,
            parent_id=host2.id,
        )
        users["portal_tutor"].partner_id.bde_is_tutor = True
        users[COLLEAGUE] = new_test_user(
            cls.env,
            login="matrix_colleague",
            groups="base.group_user,base.group_allow_export,"
            "bde_lycee.group_bde_manager",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        return users

    @classmethod
    def _make_fixture_alumni(cls):
        alumni = cls.env["res.partner"].create(
            {
                "name": "Inès Durand",
                "email": "ines.durand@example.com",
                "bde_is_alumni": True,
                "bde_exit_class_id": cls.school_class.id,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": 2025,
                "bde_exit_date": "2025-07-04",
                "bde_diploma_result": "obtained",
                "company_id": cls.lycee.id,
            }
        )
        alumni._bde_alumni_give_consent(network=True, contact=True, source="other")
        return alumni

    # ------------------------------------------------------------
    # Fixtures: one method per model of the suite, named after it
    # ------------------------------------------------------------

    @classmethod
    def _make_fixtures(cls):
        """{label: record of lycée 1}, built by _fixture_<model> for every
        model of the suite that has one, and by _extension_fixtures for the
        suite's records in Odoo's models."""
        fixtures = {}
        for model in cls._suite_models(cls.env):
            method = getattr(cls, "_fixture_" + model.replace(".", "_"), None)
            if method:
                fixtures[model] = method()
        fixtures.update(cls._extension_fixtures())
        return fixtures

    @staticmethod
    def _suite_models(env):
        """Every bde.* model the suite's modules define, stored, SQL view or
        transient; mixins have no records."""
        models = env["ir.model"].search([("model", "=like", "bde.%")])
        return sorted(
            model.model
            for model in models
            if SUITE_MODULES & set(model.modules.split(", "))
            and not env[model.model]._abstract
        )

    @classmethod
    def _as_lycee1(cls, user, model, values):
        """A transient record is its creator's: lycée 1's user makes it."""
        return cls.env[model].with_user(user).create(values).sudo()

    @classmethod
    def _fixture_bde_class(cls):
        return cls.school_class

    @classmethod
    def _fixture_bde_pfmp_period(cls):
        return cls.period

    @classmethod
    def _fixture_bde_pfmp_placement(cls):
        return cls.placement

    @classmethod
    def _fixture_bde_pfmp_risk(cls):
        # An SQL view: Inès, of a class of this school year whose period is
        # under way, has no placement in it yet.
        today = lycee_today()
        year = school_year_of(today)
        school_class = cls.env["bde.class"].create(
            {
                "name": "T MCV risk",
                "formation_id": cls.formation.id,
                "school_year": year,
                "company_id": cls.lycee.id,
            }
        )
        cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP under way",
                "class_id": school_class.id,
                "date_start": max(today, school_year_bounds(year)[0]),
                "date_end": school_year_bounds(year)[1],
            }
        )
        student = cls.env["res.partner"].create(
            {
                "name": "Inès Durand",
                "bde_is_student": True,
                "bde_class_id": school_class.id,
                "company_id": cls.lycee.id,
            }
        )
        cls.env.flush_all()
        return cls.env["bde.pfmp.risk"].search([("student_id", "=", student.id)])

    @classmethod
    def _fixture_bde_pfmp_visit(cls):
        return cls.env["bde.pfmp.visit"].create(
            {
                "placement_id": cls.placement.id,
                "date": "2025-11-12",
                "report": "<p>Léa is shy with customers.</p>",
            }
        )

    @classmethod
    def _fixture_bde_host_rating(cls):
        return cls.env["bde.host.rating"].create(
            {
                "placement_id": cls.placement.id,
                "score": 2,
                "comment": "Léa was left alone at the till.",
            }
        )

    @classmethod
    def _fixture_bde_pfmp_evaluation(cls):
        return cls.env["bde.pfmp.evaluation"].create(
            {
                "placement_id": cls.placement.id,
                "phase": "midterm",
                "survey_id": cls.placement._bde_evaluation_grid().id,
            }
        )

    @classmethod
    def _fixture_bde_pfmp_incident(cls):
        return cls.env["bde.pfmp.incident"].create(
            {
                "placement_id": cls.placement.id,
                "kind": "other",
                "description": "Léa cut her hand.",
            }
        )

    @classmethod
    def _fixture_bde_pfmp_amendment(cls):
        # Two signed conventions of a student of their own (one amendment at
        # a time per placement: the copy amends the second one).
        student = cls.env["res.partner"].create(
            {
                "name": "Sophie Bernard",
                "bde_is_student": True,
                "bde_birthdate": "2006-04-04",
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )
        signed, cls.amendable_placement = (
            cls._make_placement(
                student=student,
                state="signed",
                teacher_id=cls.user_teacher.id,
                period_id=False,
                date_start=start,
                date_end=end,
            )
            for start, end in (
                ("2025-12-01", "2025-12-19"),
                ("2026-01-05", "2026-01-30"),
            )
        )
        return cls.env["bde.pfmp.amendment"].create(
            {
                "placement_id": signed.id,
                "reason": "Sophie's host closes a week early.",
                "date_end_new": "2025-12-12",
            }
        )

    @classmethod
    def _fixture_bde_pfmp_absence(cls):
        return cls.env["bde.pfmp.absence"].create(
            {
                "placement_id": cls.placement.id,
                "date": "2025-11-04",
                "reason": "family",
                "note": "Léa went to her grandmother's funeral.",
                "justified": True,
            }
        )

    @classmethod
    def _fixture_bde_pfmp_search_step(cls):
        return cls.env["bde.pfmp.search.step"].create(
            {
                "student_id": cls.student.id,
                "company_name": "Boulangerie du Coin",
                "note": "Léa called them twice.",
            }
        )

    @classmethod
    def _fixture_bde_pfmp_host_offer(cls):
        return cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": cls.company_partner.id,
                "company_id": cls.lycee.id,
                "school_year": "2026-2027",
                "formation_id": cls.formation.id,
                "places": 2,
            }
        )

    @classmethod
    def _fixture_bde_pfmp_census_campaign(cls):
        return cls.env["bde.pfmp.census.campaign"].create(
            {"school_year": "2026-2027", "company_id": cls.lycee.id}
        )

    @classmethod
    def _fixture_bde_pfmp_census_request(cls):
        campaign = cls.env["bde.pfmp.census.campaign"].create(
            {"school_year": "2027-2028", "company_id": cls.lycee.id}
        )
        return cls.env["bde.pfmp.census.request"].create(
            {"campaign_id": campaign.id, "partner_id": cls.company_partner.id}
        )

    @classmethod
    def _fixture_bde_event_participation(cls):
        return cls.env["bde.event.participation"].create(
            {
                "event_id": cls.event.id,
                "partner_id": cls.company_partner.id,
                "contact_id": cls.tutor.id,
            }
        )

    @classmethod
    def _fixture_bde_skill_need(cls):
        return cls.env["bde.skill.need"].create(
            {
                "partner_id": cls.company_partner.id,
                "company_id": cls.lycee.id,
                "job_title": "Vendeur",
                "formation_id": cls.formation.id,
                "headcount": 2,
            }
        )

    @classmethod
    def _fixture_bde_tax_campaign(cls):
        return cls.env["bde.tax.campaign"].create(
            {"year": 2026, "company_id": cls.lycee.id}
        )

    @classmethod
    def _fixture_bde_tax_pledge(cls):
        campaign = cls.env["bde.tax.campaign"].create(
            {"year": 2027, "company_id": cls.lycee.id}
        )
        return cls.env["bde.tax.pledge"].create(
            {
                "campaign_id": campaign.id,
                "partner_id": cls.company_partner.id,
                "amount_promised": 500,
            }
        )

    @classmethod
    def _fixture_bde_partnership_convention(cls):
        return cls.env["bde.partnership.convention"].create(
            {
                "partner_id": cls.company_partner.id,
                "company_id": cls.lycee.id,
                "date_start": "2026-09-01",
                "date_end": "2027-08-31",
            }
        )

    @classmethod
    def _fixture_bde_partnership_convention_template(cls):
        return cls.env["bde.partnership.convention.template"].create(
            {"name": "Jaurès' own clauses", "company_id": cls.lycee.id}
        )

    @classmethod
    def _fixture_bde_partner_relation(cls):
        relation = cls.env["bde.partner.relation"].search(
            [
                ("partner_id", "=", cls.company_partner.id),
                ("company_id", "=", cls.lycee.id),
            ]
        ) or cls.env["bde.partner.relation"].create(
            {"partner_id": cls.company_partner.id, "company_id": cls.lycee.id}
        )
        relation.note = "<p>Léa's mother works there.</p>"
        return relation

    @classmethod
    def _fixture_bde_form_counter(cls):
        counter = cls.env["bde.form.counter"]
        counter._increment("matrix-key", "2026-01-05 10:00:00")
        return counter.search([("key", "=", "matrix-key")])

    @classmethod
    def _fixture_bde_alumni_situation(cls):
        return cls.env["bde.alumni.situation"].create(
            {
                "partner_id": cls.alumni.id,
                "date": "2026-01-10",
                "status": "employed",
                "contract_type": "permanent",
                "employer_name": "Chez Paul",
                "source": "phone",
            }
        )

    @classmethod
    def _fixture_bde_alumni_request(cls):
        return cls.env["bde.alumni.request"].create(
            {
                "name": "Inès Durand",
                "email": "ines.durand@example.com",
                "employer_name": "Chez Paul",
                "company_id": cls.lycee.id,
            }
        )

    @classmethod
    def _fixture_bde_alumni_survey_campaign(cls):
        return cls.env["bde.alumni.survey.campaign"].create(
            {"company_id": cls.lycee.id, "exit_year": 2026}
        )

    @classmethod
    def _fixture_bde_alumni_indicator(cls):
        # An SQL view: the cohort of lycée 1's alumni is one of its rows.
        cls.env.flush_all()
        indicators = cls.env["bde.alumni.indicator"].search(
            [("company_id", "=", cls.lycee.id)]
        )
        return indicators[:1]

    @classmethod
    def _fixture_bde_alumni_insertion_report(cls):
        # A row of lycée 1's cohort of one: a small cohort, which no network
        # reader reaches (not among the figures they may read).
        cls.env.flush_all()
        rows = cls.env["bde.alumni.insertion.report"].search(
            [("company_id", "=", cls.lycee.id)]
        )
        return rows[:1]

    @classmethod
    def _fixture_bde_alumni_official_indicator(cls, months=6):
        return cls.env["bde.alumni.official.indicator"].create(
            {
                "company_id": cls.lycee.id,
                "formation_id": cls.formation.id,
                "formation_code": "23830031213",
                "formation_label": "metiers du commerce et de la vente",
                "millesime": "2023-2024",
                "exit_year_first": 2023,
                "exit_year_last": 2024,
                "months_after_exit": months,
                "rate_employed": 0.4,
                "is_employed_published": True,
                "source": "file",
            }
        )

    @classmethod
    def _fixture_bde_alumni_official_comparison(cls):
        # An SQL view: a row of lycée 1's official figures (at 24 months,
        # the figure at 6 months being the other model's fixture).
        figure = cls._fixture_bde_alumni_official_indicator(months=24)
        cls.env.flush_all()
        return cls.env["bde.alumni.official.comparison"].browse(figure.id)

    @classmethod
    def _fixture_bde_alumni_official_import(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.alumni.official.import",
            {"company_id": cls.lycee.id, "source": "file"},
        )

    @classmethod
    def _fixture_bde_tax_report(cls):
        # An SQL view: the row of lycée 1's pledge (its campaign fixtures).
        cls.env.flush_all()
        return cls.env["bde.tax.report"].search(
            [("company_id", "=", cls.lycee.id), ("line_type", "!=", "target")],
            limit=1,
        )

    @classmethod
    def _fixture_bde_lycee_report(cls):
        # An SQL view: lycée 1's figures of its placement's school year.
        cls.env.flush_all()
        return cls.env["bde.lycee.report"].search(
            [
                ("company_id", "=", cls.lycee.id),
                ("school_year", "=", cls.school_class.school_year),
            ]
        )

    @classmethod
    def _fixture_bde_network_report(cls):
        # An SQL view: the row of a network of lycée 1 alone.
        network = cls.env["bde.network"].create(
            {
                "name": "Bassin du lycée 1",
                "network_type": "bassin",
                "company_ids": [Command.set(cls.lycee.ids)],
            }
        )
        cls.env.flush_all()
        return cls.env["bde.network.report"].search(
            [
                ("network_id", "=", network.id),
                ("school_year", "=", cls.school_class.school_year),
            ]
        )

    @classmethod
    def _fixture_bde_convention_report(cls):
        # An SQL view: the row of a convention lycée 1 signed.
        cls.env["bde.partnership.convention"].create(
            {
                "partner_id": cls.company_partner.id,
                "company_id": cls.lycee.id,
                "date_start": "2026-09-01",
                "date_end": "2027-08-31",
                "date_signed_lycee": "2026-08-25",
                "date_signed_partner": "2026-08-26",
                "state": "signed",
            }
        )
        cls.env.flush_all()
        return cls.env["bde.convention.report"].search(
            [("company_id", "=", cls.lycee.id)], limit=1
        )

    @classmethod
    def _fixture_bde_event_report(cls):
        # An SQL view: the row of lycée 1's ceremony.
        cls.env.flush_all()
        return cls.env["bde.event.report"].search([("event_id", "=", cls.event.id)])

    @classmethod
    def _fixture_bde_student_import_job(cls):
        siecle = (
            "INE;NOM;PRENOM;DATE NAISS;DIVISION\r\n"
            "2610012345A;NGUYEN;Inès;14/05/2010;T MCV test\r\n"
        )
        # A job is made by the import wizard, as superuser (users only read it).
        return cls.env["bde.student.import.job"].create(
            {
                "name": "siecle.csv, 2025-2026",
                "file": base64.b64encode(siecle.encode()),
                "file_name": "siecle.csv",
                "school_year": "2025-2026",
                "company_id": cls.lycee.id,
                "user_id": cls.user_officer.id,
                "row_count": 1,
            }
        )

    # Transient records, made by lycée 1's users

    @classmethod
    def _fixture_bde_student_import(cls):
        siecle = (
            "INE;NOM;PRENOM;DATE NAISS;DIVISION\r\n"
            "2610012345A;NGUYEN;Inès;14/05/2010;T MCV test\r\n"
        )
        return cls._as_lycee1(
            cls.user_officer,
            "bde.student.import",
            {
                "file": base64.b64encode(siecle.encode()),
                "file_name": "siecle.csv",
                "school_year": "2025-2026",
                "company_id": cls.lycee.id,
            },
        )

    @classmethod
    def _fixture_bde_skill_need_export(cls):
        return cls._as_lycee1(cls.user_officer, "bde.skill.need.export", {})

    @classmethod
    def _fixture_bde_partnership_convention_export(cls):
        return cls._as_lycee1(cls.user_officer, "bde.partnership.convention.export", {})

    @classmethod
    def _fixture_bde_yearly_report_wizard(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.yearly.report.wizard",
            {"company_id": cls.lycee.id, "school_year": "2025-2026"},
        )

    @classmethod
    def _sign_request_lycee1(cls):
        """A request of lycée 1 on which the student signs (bde_lycee's
        signing core), made once."""
        if not cls._sign_request:
            cls._sign_request = cls.env["sign.oca.request"].create(
                {
                    "name": "Convention de Léa Martin",
                    "data": base64.b64encode(b"%PDF-1.4 Lea Martin"),
                    "company_id": cls.lycee.id,
                    "signer_ids": [
                        Command.create(
                            {
                                "partner_id": cls.student.id,
                                "role_id": cls.env.ref(
                                    "bde_lycee.sign_role_student"
                                ).id,
                            }
                        )
                    ],
                }
            )
        return cls._sign_request

    @classmethod
    def _fixture_bde_sign_wizard(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.sign.wizard",
            {"res_model": "bde.partnership.convention", "res_ids": []},
        )

    @classmethod
    def _fixture_bde_sign_paper_wizard(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.sign.paper.wizard",
            {
                "signer_id": cls._sign_request_lycee1().signer_ids.id,
                "scan": base64.b64encode(b"%PDF-1.4 scan"),
                "scan_filename": "signature_lea.pdf",
            },
        )

    @classmethod
    def _fixture_bde_partnership_convention_terminate(cls):
        convention = cls.env["bde.partnership.convention"].create(
            {"partner_id": cls.company_partner.id, "company_id": cls.lycee.id}
        )
        return cls._as_lycee1(
            cls.user_officer,
            "bde.partnership.convention.terminate",
            {"convention_ids": [Command.set(convention.ids)], "reason": "Closed"},
        )

    @classmethod
    def _fixture_bde_allowance_rate_import(cls):
        # The national table is imported by the database's administrator.
        return cls.env["bde.allowance.rate.import"].create(
            {"file": base64.b64encode(b"mef;taux\n"), "file_name": "aplypro.csv"}
        )

    @classmethod
    def _fixture_bde_allowance_export(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.allowance.export",
            {"placement_ids": [Command.set(cls.placement.ids)]},
        )

    @classmethod
    def _fixture_bde_pfmp_placement_stop(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.pfmp.placement.stop",
            {
                "placement_ids": [Command.set(cls.placement.ids)],
                "reason": "Léa is ill.",
            },
        )

    @classmethod
    def _fixture_bde_pfmp_pedagogy_refuse(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.pfmp.pedagogy.refuse",
            {
                "placement_ids": [Command.set(cls.placement.ids)],
                "reason": "Activities unrelated to the diploma.",
            },
        )

    @classmethod
    def _fixture_bde_alumni_graduation(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.alumni.graduation",
            {"class_id": cls.school_class.id, "exit_date": "2026-07-04"},
        )

    @classmethod
    def _fixture_bde_alumni_graduation_line(cls):
        return cls._fixture_bde_alumni_graduation().line_ids[:1]

    @classmethod
    def _fixture_bde_network_export(cls):
        export = cls._as_lycee1(cls.user_reader, "bde.network.export", {})
        export.with_user(cls.user_reader).action_export()
        return export

    @classmethod
    def _fixture_bde_alumni_indicator_export(cls):
        return cls._as_lycee1(cls.user_officer, "bde.alumni.indicator.export", {})

    @classmethod
    def _fixture_bde_alumni_ceremony_invitation(cls):
        return cls._as_lycee1(
            cls.user_officer,
            "bde.alumni.ceremony.invitation",
            {"event_id": cls.event.id},
        )

    # The suite's nominative records in Odoo's own models

    @classmethod
    def _extension_fixtures(cls):
        return {
            "res.partner (student)": cls.student,
            "res.partner (alumni)": cls.alumni,
            "res.partner (legal guardian)": cls.guardian,
            "crm.lead (BDE pipeline)": cls._extension_bde_lead(),
            **cls._extension_survey_answer(),
            **cls._extension_pfmp_evaluation_answer(),
            **cls._extension_mailing_contact(),
            "event.registration (suite's event)": cls.env["event.registration"].create(
                {"event_id": cls.event.id, "partner_id": cls.alumni.id}
            ),
            "ir.attachment (on a student)": cls.env["ir.attachment"].create(
                {
                    "name": "cv_lea_martin.pdf",
                    "raw": b"%PDF-1.4 Lea Martin",
                    "res_model": "res.partner",
                    "res_id": cls.student.id,
                }
            ),
            "ir.attachment (on a placement)": cls.env["ir.attachment"].create(
                {
                    "name": "convention_lea.pdf",
                    "raw": b"%PDF-1.4 convention",
                    "res_model": "bde.pfmp.placement",
                    "res_id": cls.placement.id,
                }
            ),
            **cls._extension_chatter(),
            **cls._extension_mailing(),
            **cls._extension_sign_request(),
        }

    @classmethod
    def _extension_sign_request(cls):
        """A request of lycée 1, its signer (a student) and its log."""
        request = cls._sign_request_lycee1()
        return {
            "sign.oca.request (a lycée's)": request,
            "sign.oca.request.signer (a student)": request.signer_ids,
            "sign.oca.request.log (a lycée's)": request._set_action_log(
                "view", access_token="token-lea"
            ),
        }

    @classmethod
    def _extension_chatter(cls):
        """Notes and activities naming a student: on lycée 1's placement, and
        on a company every lycée shares."""
        placement = cls.placement.with_user(cls.user_officer)
        company = cls.company_partner.with_user(cls.user_officer)
        message = placement.message_post(
            body="Léa's guardian called.", message_type="comment"
        ).sudo()
        return {
            "mail.message (placement's chatter)": message,
            "mail.tracking.value (placement's chatter)": cls.env[
                "mail.tracking.value"
            ].create(
                {
                    "field_id": cls.env["ir.model.fields"]
                    ._get("bde.pfmp.placement", "student_id")
                    .id,
                    "old_value_char": "Léa Martin",
                    "new_value_char": "Hugo Bernard",
                    "mail_message_id": message.id,
                }
            ),
            "mail.mail (to a guardian, queued)": cls.env["mail.mail"].create(
                {
                    "subject": "Léa's convention",
                    "body_html": "<p>Dear Sophie Martin</p>",
                    "email_to": "sophie.martin@example.com",
                    "model": "bde.pfmp.placement",
                    "res_id": cls.placement.id,
                }
            ),
            "mail.message (note on a shared company)": company.message_post(
                body="Léa Martin was rude to a customer.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            ).sudo(),
            "mail.activity (on a shared company)": company.activity_schedule(
                "mail.mail_activity_data_todo",
                summary="Ask how Léa Martin behaves",
                user_id=cls.user_officer.id,
            ).sudo(),
            "mail.activity (on a placement)": placement.activity_schedule(
                "mail.mail_activity_data_todo",
                summary="Call Léa's guardian",
                user_id=cls.user_officer.id,
            ).sudo(),
        }

    @classmethod
    def _extension_mailing(cls):
        """A mailing of lycée 1 to its alumni and the trace of one sending."""
        alumni_list = cls.env["mailing.list"]._bde_get_lycee_lists(
            cls.lycee, ["alumni"]
        )
        mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Inès, where are you now?",
                "body_html": "<p>Dear Inès Durand</p>",
                "mailing_model_id": cls.env.ref("mass_mailing.model_mailing_list").id,
                "contact_list_ids": [Command.set(alumni_list.ids)],
                "company_id": cls.lycee.id,
            }
        )
        trace = cls.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": cls.alumni.id,
                "email": "ines.durand@example.com",
            }
        )
        return {
            "mailing.mailing (alumni list)": mailing,
            "mailing.trace (alumni list)": trace,
        }

    @classmethod
    def _extension_bde_lead(cls):
        return cls.env["crm.lead"].create(
            {
                "name": "Taxe d'apprentissage Boulangerie",
                "team_id": cls.env.ref("bde_lycee.crm_team_bde").id,
                "partner_id": cls.company_partner.id,
                "contact_name": "Paul Tuteur",
                "company_id": cls.lycee.id,
            }
        )

    @classmethod
    def _extension_survey_answer(cls):
        campaign = cls.env["bde.alumni.survey.campaign"].create(
            {"company_id": cls.lycee.id, "exit_year": 2026, "months_after_exit": 12}
        )
        survey = campaign.survey_id
        user_input = survey._create_answer(partner=cls.alumni, check_attempts=False)
        user_input.bde_alumni_campaign_id = campaign
        question = survey.question_ids.filtered(
            lambda question: question.bde_alumni_field == "employer_name"
        )
        user_input._save_lines(question, "Chez Paul, my boss shouts")
        return {
            "survey.user_input (alumni survey)": user_input,
            "survey.user_input.line (free text)": user_input.user_input_line_ids[:1],
        }

    @classmethod
    def _extension_pfmp_evaluation_answer(cls):
        evaluation = cls.placement.evaluation_ids.filtered(
            lambda evaluation: evaluation.phase == "midterm"
        )
        answer = evaluation.sudo()._bde_answer_for(cls.placement.tutor_id)
        comment = evaluation.survey_id.question_ids.filtered(
            lambda question: question.question_type == "text_box"
        )
        answer._save_lines(comment, "Léa is shy with customers")
        return {
            "survey.user_input (PFMP skills evaluation)": answer,
            "survey.user_input.line (PFMP evaluation comment)": (
                answer.user_input_line_ids
            ),
        }

    @classmethod
    def _extension_mailing_contact(cls):
        cls.env["mailing.list"]._bde_sync_mailing_lists(cls.alumni)
        contact = cls.env["mailing.contact"].search(
            [("bde_partner_id", "=", cls.alumni.id)]
        )
        return {
            "mailing.contact (synced alumni list)": contact,
            "mailing.subscription (synced alumni list)": contact.subscription_ids[:1],
        }

    @classmethod
    def _shared_fixtures(cls):
        network = cls.env["bde.network"].create(
            {
                "name": "Bassin test",
                "company_ids": [Command.set((cls.lycee | cls.other_lycee).ids)],
            }
        )
        return {
            "res.partner (host company)": cls.company_partner,
            "res.partner (tutor, contact of a host)": cls.tutor,
            "bde.network": network,
            "bde.sector": cls.sector,
            "bde.skill": cls.env["bde.skill"].create({"name": "Matrix test skill"}),
            "bde.formation": cls.formation,
            "bde.mef": cls.env.ref("bde_lycee.mef_2473121333"),
            "bde.allowance.rate": cls.env["bde.allowance.rate"].search([], limit=1),
            "bde.framework.agreement": cls.env["bde.framework.agreement"].create(
                {
                    "name": "Matrix test agreement",
                    "partner_ids": [Command.set(cls.company_partner.ids)],
                }
            ),
        }

    # ------------------------------------------------------------
    # The checks
    # ------------------------------------------------------------

    @classmethod
    def _create_overrides(cls):
        """What a copy of lycée 1's record changes to pass the uniqueness
        constraints of its model: the role's create is then refused by the
        rules or by nothing."""
        other_host = cls.env["res.partner"].create(
            {"name": "Fromagerie Test", "is_company": True}
        )
        return {
            "bde.class": {"name": "T MCV copy"},
            "bde.alumni.official.indicator": {"months_after_exit": 12},
            "bde.event.participation": {"role": "visitor"},
            "bde.form.counter": {"key": "matrix-copy"},
            "bde.host.rating": {"rater_type": "tutor"},
            "bde.pfmp.absence": {"date": "2025-11-05"},
            "bde.pfmp.amendment": {
                "placement_id": cls.amendable_placement.id,
                "date_end_new": "2026-01-23",
            },
            "bde.partner.relation": {"partner_id": other_host.id},
            "bde.pfmp.census.campaign": {"school_year": "2030-2031"},
            "bde.pfmp.census.request": {"partner_id": other_host.id},
            "bde.pfmp.placement": {"student_id": cls.student_adult.id},
            "bde.pfmp.evaluation": {"phase": "final"},
            "bde.tax.campaign": {"year": 2031},
            "bde.tax.pledge": {"partner_id": other_host.id},
            "mailing.subscription (synced alumni list)": {
                "contact_id": cls.env["mailing.contact"]
                .create({"name": "Hugo Bernard", "company_id": cls.lycee.id})
                .id
            },
        }

    def _name_field(self, model):
        """A stored field naming the record, else its first column."""
        Model = self.env[model]
        name = Model._rec_name
        if name in Model._fields and Model._fields[name].column_type:
            return name
        return next(
            fname
            for fname, field in Model._fields.items()
            if field.store and field.column_type and fname != "id"
        )

    @staticmethod
    def _read_fields(record):
        """The record's columns the user may read, and its display name: what
        a list or a form reads. Its one2many and many2many lists are left to
        their own models' checks (they give ids only, and a list of a model
        the user may not read would refuse the whole read)."""
        return [
            fname
            for fname, field in record._fields.items()
            if (field.column_type or fname == "display_name")
            and field.is_accessible(record.env)
            # accounting's counters on partners (Odoo's account, which OCA's
            # SIRENE lookup pulls in) read journal entries, which only
            # accountants read: Odoo's views show them to accountants only
            and (field.store or field._module != "account")
        ]

    def _write_values(self, record):
        """A plain text field of the record, changed: what an attacker's
        RPC write would send. Models without one get an empty write, which
        the ORM checks all the same."""
        fnames = sorted(record._fields, key=lambda fname: fname != record._rec_name)
        for fname in fnames:
            field = record._fields[fname]
            if (
                field.type in SIMPLE_FIELD_TYPES
                and field.column_type
                and not field.related
                and not (field.compute and field.readonly)
                and not field.groups
                and fname != "display_name"
            ):
                return {fname: "matrix"}
        return {}

    def _create_values(self, label, record):
        """Lycée 1's record copied, bound to lycée 1: a create that the
        superuser can do."""
        values = record.copy_data()[0]
        if "company_id" in values:
            values["company_id"] = self.lycee.id
        if record._name == "res.partner":
            values.pop("bde_ine", None)
        values.update(self.create_overrides.get(label, {}))
        return values

    def _binds_to_lycee1(self, created, user):
        """A record made by ``user`` reaches lycée 1 when it belongs to it,
        or points to one of its records that ``user`` may not read: a
        many2one shows the display name of its target to whoever reads it."""
        created = created.sudo()
        if "company_id" in created._fields and created.company_id == self.lycee:
            return True
        if "company_ids" in created._fields and self.lycee in created.company_ids:
            return True
        for fname, field in created._fields.items():
            if field.type != "many2one" or not field.store:
                continue
            target = created[fname]
            if target and (target._name, target.id) in self.lycee1_records:
                try:
                    target.with_user(user).check_access("read")
                except AccessError:
                    return True
        return False

    def _run(self, operation, label, record, user):
        """What ``user`` gets from ``record`` through ``operation``: records,
        values or a count, empty when nothing of lycée 1 was reached."""
        as_user = record.with_user(user).with_context(active_test=False)
        Model = as_user.browse()
        domain = [("id", "=", record.id)]
        if operation == "read":
            return as_user.read(self._read_fields(as_user))
        if operation == "write":
            return as_user.write(self._write_values(record))
        if operation == "create":
            # the fields the user may not write are left out, as a client
            # would: a refusal then comes from the record, not the fields
            values = {
                fname: value
                for fname, value in self._create_values(label, record).items()
                if Model._fields[fname].is_accessible(Model.env)
            }
            return Model.create(values)
        if operation == "unlink":
            return as_user.unlink()
        if operation == "search":
            return Model.search(domain)
        if operation == "search_count":
            return Model.search_count(domain)
        if operation == "read_group":
            name = self._name_field(record._name)
            groups = Model.read_group(domain, ["__count"], [name], lazy=False)
            return [group for group in groups if group["__count"]]
        if operation == "name_search":
            return Model.name_search("", domain)
        if operation == "export":
            fields = [self._name_field(record._name), "display_name"]
            return as_user.export_data(fields)["datas"]
        if operation == "download":
            # as /web/content does: find the record, then read its file
            fname = self._binary_field(record)
            found = (
                self.env["ir.binary"]
                .with_user(user)
                ._find_record(res_model=record._name, res_id=record.id, field=fname)
            )
            return found[fname]
        if operation == "search_by_link":
            return [
                fname
                for fname, link_domain in self._link_domains(record)
                if Model.search(domain + link_domain)
            ]
        raise ValueError(operation)

    @staticmethod
    def _binary_field(record):
        """The file the record holds, None when it holds none."""
        if record._name == "ir.attachment":
            return "raw"
        return next(
            (
                fname
                for fname, field in record._fields.items()
                if field.type == "binary" and field.store and record.sudo()[fname]
            ),
            None,
        )

    def _link_domains(self, record):
        """(field, domain) pairs that find ``record`` through its links to
        lycée 1's records: whoever finds it learns that they exist. The
        domains go through a subquery, as a search on the linked records'
        names does (Odoo resolves a bare "in ids" on a one2many without the
        comodel's rules: a link to an id, never a name)."""
        for fname, field in record._fields.items():
            # a field neither stored nor searchable matches every record: the
            # search would not depend on the link
            if field.type not in ("one2many", "many2many") or not (
                field.store or field.search
            ):
                continue
            ids = [
                res_id
                for model, res_id in self.lycee1_records
                if model == field.comodel_name
            ]
            if ids:
                yield fname, [(fname, "any", [("id", "in", ids)])]

    def _reached(self, operation, label, record, role, user):
        """Whether ``user`` reached lycée 1 through ``operation``: got its
        record, or only a person's name where the role may reach it."""
        result = self._run(operation, label, record, user)
        if operation == "search_by_link":
            return result
        if operation == "create":
            if self._reads_figures(label, record, role):
                created = result.with_user(user)
                return self._names_a_person(created.read(self._read_fields(created)))
            return self._binds_to_lycee1(result, user)
        if operation in WRITING_OPERATIONS:
            return True
        if self._reads_figures(label, record, role):
            if operation == "search":
                result = result.read(self._read_fields(result))
            return self._names_a_person(result)
        return bool(result)

    def _reads_figures(self, label, record, role):
        """Whether ``role`` may reach ``record`` and is only held to learn no
        person's name through it."""
        if label in self.shared_fixtures:
            return True
        return role == "network_reader_both" and record._name in FIGURE_MODELS

    @staticmethod
    def _names_a_person(result):
        text = str(result)
        return any(name in text for name in PERSON_NAMES)

    def _check(self, label, record, role, user, operation, outcome):
        """Run one check in a savepoint rolled back after it, with an empty
        cache so that every read goes through the access checks."""
        savepoint = self.env.cr.savepoint()
        self.env.invalidate_all()
        try:
            reached = self._reached(operation, label, record, role, user)
        except AccessError:
            reached = False
        except UserError as error:
            if operation not in WRITING_OPERATIONS:
                outcome["errors"].append(f"{label}/{role}/{operation}: {error}")
            reached = False
        except Exception as error:  # reported, the matrix goes on
            outcome["errors"].append(
                f"{label}/{role}/{operation}: {type(error).__name__}: {error}"
            )
            reached = False
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        outcome["checks"] += 1
        if reached:
            # a search by link names the links that found the record
            through = f" ({', '.join(reached)})" if isinstance(reached, list) else ""
            outcome["leaks"].append(f"{label}/{role}/{operation}{through}")

    def _check_create_values(self, label, record, outcome):
        """The superuser can make the record a role is asked to make: a
        refusal then comes from the rules, not from the values."""
        if "create" not in self._operations(record):
            return
        savepoint = self.env.cr.savepoint()
        try:
            self.env[record._name].create(self._create_values(label, record))
        except Exception as error:  # reported below
            outcome["errors"].append(f"{label}: cannot be copied: {error}")
        finally:
            savepoint.close(rollback=True)

    @classmethod
    def _operations(cls, record, role=None):
        operations = OPERATIONS
        if not cls._binary_field(record):
            operations = tuple(op for op in operations if op != "download")
        if role == COLLEAGUE:
            if not record._transient:
                return ()
            operations = tuple(op for op in operations if op != "create")
        if not record._auto and not record._transient:
            # An SQL view: no row is ever created in it.
            operations = tuple(op for op in operations if op != "create")
        return operations

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_every_model_of_the_suite_has_a_fixture(self):
        models = self._suite_models(self.env)
        self.assertIn("bde.pfmp.placement", models)
        self.assertIn("bde.alumni.graduation.line", models)
        missing = [
            f"no fixture for model {model}"
            for model in models
            if model not in SHARED_MODELS and model not in self.fixtures
        ]
        self.assertFalse(missing, "\n".join(missing))
        self.assertFalse(set(SHARED_MODELS) - set(models), "shared model gone")
        for label, record in self.fixtures.items():
            self.assertEqual(len(record), 1, f"fixture {label} holds one record")
            self.assertTrue(
                record.sudo().exists(), f"fixture {label} exists in the database"
            )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_shared_records_tell_nothing_of_lycee1(self):
        outcome = {"checks": 0, "leaks": [], "errors": []}
        for role, user in self.roles.items():
            if role == COLLEAGUE:
                continue
            for label, record in self.shared_fixtures.items():
                for operation in SHARED_OPERATIONS:
                    self._check(label, record, role, user, operation, outcome)
        print(  # the figures of the matrix, shown by pytest -s
            f"\nshared records: {len(self.shared_fixtures)} fixtures, "
            f"{len(self.roles) - 1} roles, {len(SHARED_OPERATIONS)} operations, "
            f"{outcome['checks']} checks, {len(outcome['leaks'])} leaks, "
            f"{len(outcome['errors'])} inconclusive"
        )
        self.assertGreater(outcome["checks"], 0)
        problems = [f"leak: {leak}" for leak in outcome["leaks"]] + [
            f"did not conclude: {error}" for error in outcome["errors"]
        ]
        self.assertFalse(
            problems,
            "lycée 2 learns of lycée 1's persons through shared records:\n"
            + "\n".join(problems),
        )

    def test_every_operation_sees_a_reach(self):
        """Lycée 1's head of school reaches their own student and a file on
        them by every operation: the matrix's checks do tell a reach from a
        refusal."""
        outcome = {"checks": 0, "leaks": [], "errors": []}
        expected = []
        cv = self.fixtures["ir.attachment (on a student)"]
        student = self.student_adult
        for label, record in (("res.partner (student)", student), ("cv", cv)):
            for operation in self._operations(record):
                user = self.roles[COLLEAGUE]
                self._check(label, record, COLLEAGUE, user, operation, outcome)
                expected.append(f"{label}/{COLLEAGUE}/{operation}")
        self.assertFalse(outcome["errors"])
        self.assertIn(f"cv/{COLLEAGUE}/download", expected)
        self.assertEqual(outcome["leaks"], expected)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule", "odoo.sql_db")
    def test_no_role_of_another_lycee_reaches_lycee1(self):
        outcome = {"checks": 0, "leaks": [], "errors": []}
        fixtures = {
            label: record
            for label, record in self.fixtures.items()
            if record._name not in SHARED_MODELS
        }
        for label, record in fixtures.items():
            self._check_create_values(label, record, outcome)
        for role, user in self.roles.items():
            for label, record in fixtures.items():
                for operation in self._operations(record, role):
                    self._check(label, record, role, user, operation, outcome)
        print(  # the figures of the matrix, shown by pytest -s
            f"\naccess matrix: {len(fixtures)} fixtures "
            f"({len({r._name for r in fixtures.values()})} models), "
            f"{len(self.roles)} roles, {len(OPERATIONS)} operations, "
            f"{outcome['checks']} checks, {len(outcome['leaks'])} leaks, "
            f"{len(outcome['errors'])} inconclusive"
        )
        problems = [f"leak: {leak}" for leak in outcome["leaks"]] + [
            f"did not conclude: {error}" for error in outcome["errors"]
        ]
        self.assertFalse(
            problems,
            "lycée 2 reaches lycée 1 (model/role/operation):\n" + "\n".join(problems),
        )
