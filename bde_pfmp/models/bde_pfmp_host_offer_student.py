from odoo import models


class BdePfmpHostOffer(models.Model):
    _inherit = "bde.pfmp.host.offer"

    def _bde_student_offer_domain(self, student):
        """The offers a student may answer: confirmed offers of their lycée
        for their formation, for a period of their class or, without period,
        for their class's school year. The places left are checked after the
        search (a computed figure)."""
        school_class = student.sudo().bde_class_id
        return [
            ("company_id", "=", student.company_id.id),
            ("state", "=", "confirmed"),
            ("formation_id", "=", school_class.formation_id.id),
            "|",
            ("period_id.class_id", "=", school_class.id),
            "&",
            ("period_id", "=", False),
            ("school_year", "=", school_class.school_year),
        ]

    def _bde_student_offers(self, student, domain=None):
        """The offers with places left that ``student`` may answer, as
        superuser (a student has no access to the offers), within
        ``domain`` (the portal's filters)."""
        offers_sudo = self.sudo().search(
            [*self._bde_student_offer_domain(student), *(domain or [])]
        )
        return offers_sudo.filtered("places_left")
