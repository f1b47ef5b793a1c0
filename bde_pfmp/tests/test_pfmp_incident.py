from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpIncident(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.placement = cls._make_placement(state="in_progress")
        cls.placement_adult = cls._make_placement(
            student=cls.student_adult, state="in_progress"
        )
        cls.Incident = cls.env["bde.pfmp.incident"]

    def _report(self, placement=None, kind="behaviour", **vals):
        values = {
            "placement_id": (placement or self.placement).id,
            "kind": kind,
            "description": "Late three mornings in a row.",
        }
        values.update(vals)
        return self.Incident.create(values)

    def test_incident_counts(self):
        incident = self._report(kind="accident", date="2025-11-12")
        self._report()
        self._report(placement=self.placement_adult, kind="safety")
        self.assertEqual(incident.company_id, self.lycee)
        self.assertEqual(incident.partner_id, self.company_partner)
        self.assertEqual(incident.reported_by_id, self.env.user)
        self.assertEqual(self.placement.incident_count, 2)
        self.assertEqual(self.placement_adult.incident_count, 1)
        self.assertEqual(self.company_partner.bde_host_incident_count, 3)
        action = self.placement.action_view_incidents()
        self.assertEqual(
            self.Incident.search(action["domain"]), self.placement.incident_ids
        )

    def test_early_endings_counted_on_host(self):
        self.assertEqual(self.company_partner.bde_host_early_end_count, 0)
        self.placement._action_stop("interrupt", "The student left the host.")
        self.assertEqual(self.placement.state, "interrupted")
        self.company_partner.invalidate_recordset(["bde_host_early_end_count"])
        self.assertEqual(self.company_partner.bde_host_early_end_count, 1)

    def test_access_per_role(self):
        incident = self.Incident.with_user(self.user_teacher).create(
            {
                "placement_id": self.placement.id,
                "kind": "absence",
                "description": "Absent on Monday without notice.",
            }
        )
        self.assertEqual(incident.reported_by_id, self.user_teacher)
        other_teacher = self._make_user("bde_teacher3", "bde_lycee.group_bde_user")
        self.assertFalse(self.Incident.with_user(other_teacher).search([]))
        with self.assertRaises(AccessError):
            incident.with_user(other_teacher).read(["description"])
        # The network reader never reads incidents, only their number.
        with self.assertRaises(AccessError):
            self.Incident.with_user(self.user_reader).search([])
        self.assertFalse(self.Incident.with_user(self.user_other_lycee).search([]))
        self.assertEqual(
            self.Incident.with_user(self.user_officer).search([]), incident
        )
        with self.assertRaises(AccessError):
            incident.with_user(self.user_officer).unlink()
        incident.with_user(self.user_manager).unlink()
        self.assertFalse(incident.exists())
