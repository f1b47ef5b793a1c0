from . import bde_allowance_rate
from . import bde_class
from . import bde_pfmp_period
from . import bde_pfmp_placement
from . import bde_pfmp_visit
from . import res_partner
