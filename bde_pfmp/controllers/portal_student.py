from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.bde_lycee.controllers.main import CONTROL_CHARACTERS, RECORD_ID
from odoo.addons.bde_lycee.school_year import lycee_today

from .portal import BdePfmpTutorPortal

PLACEMENT_MODEL = "bde.pfmp.placement"
OFFER_MODEL = "bde.pfmp.host.offer"
STEP_MODEL = "bde.pfmp.search.step"
# What the offers' filters accept: a city's name is short.
CITY_MAX_LENGTH = 64
# Only these confirmation keys are shown, never free text from the URL.
SUCCESS_KEYS = {"logged", "updated", "deleted", "rated"}


class BdePfmpStudentPortal(BdePfmpTutorPortal):
    """The students' and families' space: a student sees their placements,
    documents and referent teacher, browses the offers of their lycée for
    their formation, logs their own search and rates their host; a legal
    guardian sees the placements and documents of their children while they
    are minors. Every route checks who the user is to the student (see
    res.partner._bde_portal_students), then reads as superuser: no record rule
    opens these records to the portal, so RPC shows them nothing."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        if "pfmp_student_count" in counters:
            students = partner._bde_portal_students()
            values["pfmp_student_count"] = (
                request.env[PLACEMENT_MODEL]
                .sudo()
                .search_count(request.env[PLACEMENT_MODEL]._bde_portal_domain(students))
                if students
                else 0
            )
        if "pfmp_offer_count" in counters:
            student = partner._bde_portal_own_student()
            values["pfmp_offer_count"] = (
                len(request.env[OFFER_MODEL]._bde_student_offers(student))
                if student
                else 0
            )
        return values

    # ------------------------------------------------------------
    # Placements and documents
    # ------------------------------------------------------------

    @http.route("/my/placements", type="http", auth="user", website=True, readonly=True)
    def portal_my_student_placements(self, **kw):
        partner = request.env.user.partner_id
        students = partner._bde_portal_students()
        placements_sudo = (
            request.env[PLACEMENT_MODEL]
            .sudo()
            .search(request.env[PLACEMENT_MODEL]._bde_portal_domain(students))
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "placements": placements_sudo,
                "student": partner._bde_portal_own_student(),
                "wards": partner._bde_portal_wards(),
                "page_name": "pfmp_student",
            }
        )
        return request.render("bde_pfmp.portal_my_student_placements", values)

    @http.route(
        "/my/placements/<int:placement_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_student_placement(self, placement_id, **kw):
        placement_sudo = self._bde_student_check_placement(placement_id)
        return self._bde_render_placement(placement_sudo, success=kw.get("success"))

    @http.route(
        "/my/placements/<int:placement_id>/document/<string:document>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_student_document(self, placement_id, document, **kw):
        placement_sudo = self._bde_student_check_placement(placement_id)
        return self._pfmp_document_response(placement_sudo, document)

    @http.route(
        "/my/placements/<int:placement_id>/rate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_student_rate(self, placement_id, score=None, comment=None, **kw):
        placement_sudo = self._bde_student_check_placement(placement_id)
        student = request.env.user.partner_id._bde_portal_own_student()
        try:
            with request.env.cr.savepoint():
                placement_sudo._bde_student_rate_host(
                    int(score) if RECORD_ID.fullmatch(score or "") else None,
                    CONTROL_CHARACTERS.sub("", comment or ""),
                    student,
                )
        except (UserError, ValidationError) as error:
            return self._bde_render_placement(placement_sudo, error=str(error))
        return request.redirect(f"/my/placements/{placement_sudo.id}?success=rated")

    def _bde_student_check_placement(self, placement_id):
        """The placement as superuser when it is one of the user's students'
        (themselves, or a minor in their care) in the space; a 404 otherwise,
        so that other placements are not even known to exist."""
        students = request.env.user.partner_id._bde_portal_students()
        Placement = request.env[PLACEMENT_MODEL].sudo()
        placement_sudo = Placement.search(
            [("id", "=", placement_id), *Placement._bde_portal_domain(students)]
        )
        if not placement_sudo:
            raise NotFound()
        return placement_sudo

    def _bde_render_placement(self, placement_sudo, **kw):
        is_student = placement_sudo.student_id == request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "placement": placement_sudo,
                "documents": placement_sudo._get_tutor_documents(),
                # The guardian reads; only the student rates.
                "is_student": is_student,
                "student_rating": placement_sudo._bde_student_rating(),
                "page_name": "pfmp_student_placement",
                "success": kw.get("success")
                if kw.get("success") in SUCCESS_KEYS
                else None,
                "error": kw.get("error"),
            }
        )
        return request.render("bde_pfmp.portal_my_student_placement", values)

    # ------------------------------------------------------------
    # Offers of the lycée for the student's formation
    # ------------------------------------------------------------

    @http.route(
        "/my/placements/offers",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_student_offers(self, city=None, sector=None, minors=None, **kw):
        student = self._bde_student_or_404()
        city = CONTROL_CHARACTERS.sub("", city or "").strip()[:CITY_MAX_LENGTH]
        sector_id = int(sector) if RECORD_ID.fullmatch(sector or "") else None
        domain = []
        if city:
            domain += [
                "|",
                ("site_id.city", "ilike", city),
                ("partner_id.city", "ilike", city),
            ]
        if sector_id:
            domain.append(("partner_id.bde_sector_ids", "=", sector_id))
        if minors:
            domain.append(("accepts_minors", "=", True))
        Offer = request.env[OFFER_MODEL]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "student": student,
                "offers": Offer._bde_student_offers(student, domain),
                # The sectors of every offer open to the student, whatever
                # the filters, so that a filter can be changed.
                "sectors": Offer._bde_student_offers(
                    student
                ).partner_id.bde_sector_ids.sorted("name"),
                "distances": self._bde_offer_distances(student),
                "city": city,
                "sector_id": sector_id,
                "minors": bool(minors),
                "page_name": "pfmp_student_offers",
            }
        )
        return request.render("bde_pfmp.portal_my_student_offers", values)

    @http.route(
        "/my/placements/offers/<int:offer_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_student_offer(self, offer_id, **kw):
        student = self._bde_student_or_404()
        offer_sudo = self._bde_student_check_offer(student, offer_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "student": student,
                "offer": offer_sudo,
                "distances": self._bde_offer_distances(student),
                "step_values": self._bde_step_choices(),
                "page_name": "pfmp_student_offer",
            }
        )
        return request.render("bde_pfmp.portal_my_student_offer", values)

    def _bde_student_check_offer(self, student, offer_id):
        offer_sudo = request.env[OFFER_MODEL]._bde_student_offers(
            student, [("id", "=", offer_id)]
        )
        if not offer_sudo:
            raise NotFound()
        return offer_sudo

    def _bde_offer_distances(self, student):
        """A function giving an offer's distance in km from the student's
        lycée (its site's, else its host's position), None when unknown."""
        lycee = student.company_id

        def distance(offer_sudo):
            site = offer_sudo.site_id
            place = site if site and site._bde_has_position() else offer_sudo.partner_id
            km = place.with_company(lycee).bde_distance_km
            return km or None

        return distance

    # ------------------------------------------------------------
    # The student's search log
    # ------------------------------------------------------------

    @http.route(
        "/my/placements/search",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_student_search(self, **kw):
        student = self._bde_student_or_404()
        return self._bde_render_search(
            student,
            success=kw.get("success") if kw.get("success") in SUCCESS_KEYS else None,
        )

    @http.route(
        "/my/placements/search/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_student_search_new(self, offer_id=None, **post):
        student = self._bde_student_or_404()
        offer_sudo = None
        if offer_id:
            offer_sudo = self._bde_student_check_offer(
                student, int(offer_id) if RECORD_ID.fullmatch(offer_id) else 0
            )
        return self._bde_apply_step(
            student,
            lambda: request.env[STEP_MODEL]._bde_student_log(
                student, self._bde_clean(post), offer_sudo
            ),
            "logged",
        )

    @http.route(
        "/my/placements/search/<int:step_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_student_search_step(self, step_id, **post):
        student = self._bde_student_or_404()
        step_sudo = self._bde_student_check_step(student, step_id)
        if request.httprequest.method == "POST":
            return self._bde_apply_step(
                student,
                lambda: step_sudo._bde_student_update(student, self._bde_clean(post)),
                "updated",
            )
        return self._bde_render_search(student, edited=step_sudo)

    @http.route(
        "/my/placements/search/<int:step_id>/delete",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_student_search_delete(self, step_id, **kw):
        student = self._bde_student_or_404()
        step_sudo = self._bde_student_check_step(student, step_id)
        return self._bde_apply_step(
            student, lambda: step_sudo._bde_student_delete(student), "deleted"
        )

    def _bde_student_check_step(self, student, step_id):
        """One of the steps the student logged themselves; a 404 for the
        staff's steps and anyone else's."""
        step_sudo = (
            request.env[STEP_MODEL]
            ._bde_student_steps(student)
            .filtered(lambda step: step.id == step_id and step.logged_by_student)
        )
        if not step_sudo:
            raise NotFound()
        return step_sudo

    def _bde_apply_step(self, student, operation, success):
        """Run the student's change in a savepoint: refused input leaves the
        log as it was and is shown on the page."""
        try:
            with request.env.cr.savepoint():
                operation()
        except (UserError, ValidationError) as error:
            return self._bde_render_search(student, error=str(error))
        return request.redirect(f"/my/placements/search?success={success}")

    def _bde_render_search(self, student, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "student": student,
                "steps": request.env[STEP_MODEL]._bde_student_steps(student),
                "step_values": self._bde_step_choices(),
                "page_name": "pfmp_student_search",
                **kw,
            }
        )
        return request.render("bde_pfmp.portal_my_student_search", values)

    def _bde_step_choices(self):
        """The choices of the step's form, and its default date."""
        Step = request.env[STEP_MODEL]
        return {
            "today": lycee_today(),
            **{
                name: Step._fields[name]._description_selection(request.env)
                for name in ("mode", "answer")
            },
        }

    @staticmethod
    def _bde_clean(post):
        return {
            key: CONTROL_CHARACTERS.sub("", value)
            for key, value in post.items()
            if isinstance(value, str)
        }

    def _bde_student_or_404(self):
        """The logged-in student whose space is open; a guardian or anyone
        else has no offers nor search log here."""
        student = request.env.user.partner_id._bde_portal_own_student()
        if not student:
            raise NotFound()
        return student
