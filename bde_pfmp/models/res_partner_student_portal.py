from odoo import models

from odoo.addons.bde_lycee.school_year import lycee_today

from .bde_pfmp_placement_minor import ADULT_AGE


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Students' and families' portal space (/my/placements). The space reads
    # as superuser what the rules below let the portal user see: no record
    # rule opens placements, offers, search steps or ratings to a student's
    # or guardian's account, so that RPC shows them nothing the routes do not
    # check first.

    def _bde_portal_is_current_student(self):
        """A student of a lycée who is still there: an active student in a
        class of their lycée, who has not left it. A student who left, an
        archived one or one without a lycée has no space any more."""
        self.ensure_one()
        return bool(
            self.active
            and self.bde_is_student
            and not self.bde_date_left
            and self.company_id
            and self.bde_class_id.company_id == self.company_id
        )

    def _bde_portal_is_minor_today(self):
        """Under 18 on the lycée's today. A guardian's access ends on the
        child's 18th birthday whatever the placement: an adult's placements
        are theirs alone. Without a birth date (SIECLE always gives one) the
        child is not taken for a minor, so that no adult's record is shown to
        a third party on a guess."""
        self.ensure_one()
        return bool(self.bde_birthdate) and self.bde_age_on(lycee_today()) < ADULT_AGE

    def _bde_portal_own_student(self):
        """The partner themselves when their student's space is open, else
        an empty recordset."""
        self.ensure_one()
        partner_sudo = self.sudo()
        if partner_sudo._bde_portal_is_current_student():
            return partner_sudo
        return partner_sudo.browse()

    def _bde_portal_wards(self):
        """The students in this partner's care whose placements they read on
        the portal: current students who are minors today."""
        self.ensure_one()
        return self.sudo().bde_ward_ids.filtered(
            lambda ward: (
                ward._bde_portal_is_current_student()
                and ward._bde_portal_is_minor_today()
            )
        )

    def _bde_portal_students(self):
        """Every student whose placements the partner reads on the portal:
        themselves, and their wards who are minors."""
        self.ensure_one()
        return self._bde_portal_own_student() | self._bde_portal_wards()
