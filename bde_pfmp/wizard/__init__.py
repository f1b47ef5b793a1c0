from . import bde_pfmp_placement_stop
from . import bde_pfmp_pedagogy_refuse
from . import bde_allowance_rate_import
from . import bde_allowance_export
from . import bde_yearly_report_wizard
from . import bde_network_export
