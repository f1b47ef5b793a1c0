from . import bde_school_year_mixin
from . import bde_allowance_rate
from . import bde_class
from . import bde_host_rating
from . import bde_pfmp_period
from . import bde_pfmp_incident
from . import bde_pfmp_placement
from . import bde_pfmp_placement_rules
from . import bde_pfmp_placement_minor
from . import bde_pfmp_placement_signature
from . import bde_pfmp_placement_followup
from . import bde_pfmp_placement_mobility
from . import bde_pfmp_placement_portal
from . import bde_pfmp_placement_allowance
from . import bde_pfmp_placement_search
from . import bde_pfmp_placement_report
from . import bde_pfmp_host_offer
from . import bde_pfmp_census_campaign
from . import bde_pfmp_search_step
from . import bde_tax_campaign
from . import bde_pfmp_visit
from . import res_company
from . import res_partner
from . import mailing_list

# SQL views over the tables above: created once they exist.
from . import bde_lycee_report
from . import bde_network_report
