from . import res_partner
from . import bde_alumni_situation
from . import mailing_list
from . import mailing_subscription
from . import mailing_mailing
from . import bde_class
from . import bde_alumni_request
from . import res_company
from . import survey_question
from . import survey_question_answer
from . import survey_user_input
from . import survey_user_input_line
from . import bde_alumni_survey_campaign
from . import bde_alumni_indicator
from . import bde_alumni_insertion_report
from . import bde_alumni_official_indicator
from . import bde_alumni_official_comparison
from . import event_event

# SQL views over the tables above: created once they exist.
from . import bde_lycee_report
from . import bde_network_report
