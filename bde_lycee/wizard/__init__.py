from . import bde_student_import
from . import bde_skill_need_export
from . import bde_partnership_convention_terminate
from . import bde_partnership_convention_export
from . import bde_yearly_report_wizard
from . import bde_yearly_report_label
from . import bde_network_export
from . import fr_siret_lookup
