"""Contains all the data models used in inputs/outputs"""

from .error_detail import ErrorDetail
from .error_doc import ErrorDoc
from .error_param import ErrorParam
from .instance import Instance
from .instance_list_answer import InstanceListAnswer
from .instance_list_doc import InstanceListDoc
from .instance_list_form import InstanceListForm
from .instance_status import InstanceStatus
from .login_answer import LoginAnswer
from .login_doc import LoginDoc
from .login_form import LoginForm
from .ok_answer import OkAnswer
from .ok_doc import OkDoc
from .rescue_form import RescueForm
from .rescue_form_zone import RescueFormZone
from .rescue_preview_answer import RescuePreviewAnswer
from .rescue_preview_doc import RescuePreviewDoc
from .rescue_preview_form import RescuePreviewForm
from .select_list import SelectList
from .select_option import SelectOption
from .session import Session
from .text import Text
from .unrescue_form import UnrescueForm

__all__ = (
    "ErrorDetail",
    "ErrorDoc",
    "ErrorParam",
    "Instance",
    "InstanceListAnswer",
    "InstanceListDoc",
    "InstanceListForm",
    "InstanceStatus",
    "LoginAnswer",
    "LoginDoc",
    "LoginForm",
    "OkAnswer",
    "OkDoc",
    "RescueForm",
    "RescueFormZone",
    "RescuePreviewAnswer",
    "RescuePreviewDoc",
    "RescuePreviewForm",
    "SelectList",
    "SelectOption",
    "Session",
    "Text",
    "UnrescueForm",
)
