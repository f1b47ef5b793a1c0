from datetime import timedelta

from odoo.tools.safe_eval import safe_eval

from .board_common import BdeBoardCase


class TestFunnel(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        cls.stages = cls.env["crm.stage"].search(
            [("team_id", "=", cls.team.id)], order="sequence, id"
        )
        Lead = cls.env["crm.lead"]
        values = {"type": "opportunity", "team_id": cls.team.id}

        def lead(name, stage, lycee):
            return {
                **values,
                "name": name,
                "stage_id": stage.id,
                "company_id": lycee.id,
            }

        first, second = cls.stages[0], cls.stages[1]
        cls.leads = Lead.create(
            [
                lead("Funnel A", first, cls.lycee),
                lead("Funnel B", first, cls.lycee),
                lead("Funnel C", first, cls.lycee),
                lead("Funnel D", second, cls.lycee),
                lead("Funnel other lycée", first, cls.other_lycee),
            ]
        )
        cls.last_year_lead = Lead.create(lead("Funnel last year", second, cls.lycee))
        # Created in the school year before: its create date moved back.
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (cls.year_start - timedelta(days=30), cls.last_year_lead.id),
        )
        cls.last_year_lead.invalidate_recordset(["create_date"])
        cls.env.add_to_compute(Lead._fields["bde_school_year"], cls.last_year_lead)
        cls.last_year_lead.flush_recordset()

    def _funnel(self, user, extra_domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.crm_lead_action_bde_funnel"
        )
        Lead = (
            self.env["crm.lead"]
            .with_user(user)
            .with_context(default_team_id=self.team.id)
        )
        # As the graph asks: read_group, which shows every stage of the
        # pipeline (group_expand), in the stages' order.
        groups = Lead.read_group(
            safe_eval(action["domain"]) + extra_domain, ["__count"], ["stage_id"]
        )
        Stage = self.env["crm.stage"]
        return [
            (Stage.browse(group["stage_id"][0]), group["stage_id_count"])
            for group in groups
        ]

    def test_school_year_from_the_creation_date(self):
        self.assertEqual(set(self.leads.mapped("bde_school_year")), {self.school_year})
        self.assertEqual(self.last_year_lead.bde_school_year, self.last_school_year)

    def test_counts_per_stage_of_the_school_year(self):
        groups = self._funnel(
            self.user_officer, [("bde_is_current_school_year", "=", True)]
        )
        counts = {stage: count for stage, count in groups if count}
        self.assertEqual(counts, {self.stages[0]: 3, self.stages[1]: 1})
        # Stages in their pipeline order, every stage of the pipeline shown.
        self.assertEqual([stage for stage, _count in groups], list(self.stages))
        [[total]] = (
            self.env["crm.lead"]
            .with_user(self.user_officer)
            ._read_group(
                [
                    ("team_id", "=", self.team.id),
                    ("bde_is_current_school_year", "=", True),
                ],
                aggregates=["__count"],
            )
        )
        self.assertEqual(total, sum(count for _stage, count in groups))

    def test_last_school_year_counted_there(self):
        groups = self._funnel(
            self.user_officer, [("bde_school_year", "=", self.last_school_year)]
        )
        self.assertEqual(
            {stage: count for stage, count in groups if count}, {self.stages[1]: 1}
        )

    def test_other_lycee_leads_never_counted(self):
        groups = self._funnel(self.user_other_lycee, [])
        self.assertEqual(
            {stage: count for stage, count in groups if count}, {self.stages[0]: 1}
        )
