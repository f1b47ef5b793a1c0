from . import bde_pfmp_convention
from . import bde_pfmp_attestation
from . import bde_allowance_statement
from . import bde_pfmp_evaluation
