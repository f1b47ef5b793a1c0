from . import bde_alumni_graduation
from . import bde_alumni_indicator_export
from . import bde_alumni_official_import
from . import bde_alumni_ceremony_invitation
from . import bde_yearly_report_wizard
from . import bde_network_export
