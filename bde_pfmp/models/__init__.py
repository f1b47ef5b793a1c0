from . import bde_school_year_mixin
from . import bde_allowance_rate
from . import bde_gratification_rate
from . import bde_class
from . import bde_host_rating
from . import bde_pfmp_period
from . import bde_pfmp_incident
from . import bde_pfmp_placement
from . import bde_pfmp_placement_rules
from . import bde_pfmp_placement_minor
from . import bde_pfmp_placement_signature
from . import bde_pfmp_placement_pedagogy
from . import bde_pfmp_placement_followup
from . import bde_pfmp_placement_mobility
from . import bde_pfmp_placement_portal
from . import bde_pfmp_placement_allowance
from . import bde_pfmp_placement_search
from . import bde_pfmp_placement_report
from . import bde_pfmp_placement_lifecycle
from . import bde_pfmp_amendment
from . import bde_pfmp_placement_amendment
from . import bde_pfmp_placement_tutor_reminder
from . import bde_pfmp_placement_student
from . import bde_pfmp_placement_distance
from . import bde_pfmp_placement_risk
from . import bde_pfmp_placement_attendance

# After the attendance, whose schedules it reads: importing that file earlier
# would register its class before the life cycle's and reverse their order.
from . import bde_pfmp_placement_gratification
from . import bde_pfmp_absence
from . import resource_calendar_leaves
from . import bde_pfmp_host_offer
from . import bde_pfmp_host_offer_student
from . import bde_pfmp_host_offer_map
from . import bde_pfmp_census_campaign
from . import bde_pfmp_search_step
from . import bde_pfmp_search_step_student
from . import bde_tax_campaign
from . import bde_pfmp_visit
from . import bde_pfmp_evaluation
from . import bde_pfmp_placement_evaluation
from . import survey_survey
from . import survey_user_input
from . import res_company
from . import res_partner
from . import res_partner_map
from . import res_partner_student_portal
from . import mailing_list

# SQL views over the tables above: created once they exist.
from . import bde_lycee_report
from . import bde_network_report
from . import bde_pfmp_risk
