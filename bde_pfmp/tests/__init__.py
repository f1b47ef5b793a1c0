from . import test_pfmp_period
from . import test_pfmp_placement
from . import test_pfmp_visit
from . import test_allowance
from . import test_pfmp_security
from . import test_pfmp_convention_report
from . import test_pfmp_tour
from . import test_pfmp_attestation_report
