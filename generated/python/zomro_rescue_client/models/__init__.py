"""Contains all the data models used in inputs/outputs"""

from .error_detail import ErrorDetail
from .error_doc import ErrorDoc
from .error_param import ErrorParam
from .error_result import ErrorResult
from .instance import Instance
from .instance_list import InstanceList
from .instance_list_doc import InstanceListDoc
from .instance_list_form import InstanceListForm
from .instance_status import InstanceStatus
from .login_doc import LoginDoc
from .login_form import LoginForm
from .login_result import LoginResult
from .ok_doc import OkDoc
from .ok_result import OkResult
from .rescue_form import RescueForm
from .rescue_form_zone import RescueFormZone
from .rescue_preview import RescuePreview
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
    "ErrorResult",
    "Instance",
    "InstanceList",
    "InstanceListDoc",
    "InstanceListForm",
    "InstanceStatus",
    "LoginDoc",
    "LoginForm",
    "LoginResult",
    "OkDoc",
    "OkResult",
    "RescueForm",
    "RescueFormZone",
    "RescuePreview",
    "RescuePreviewDoc",
    "RescuePreviewForm",
    "SelectList",
    "SelectOption",
    "Session",
    "Text",
    "UnrescueForm",
)
