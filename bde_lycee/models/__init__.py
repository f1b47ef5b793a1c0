from . import bde_network
from . import bde_sector
from . import bde_formation
from . import bde_class
from . import res_company
from . import res_partner
