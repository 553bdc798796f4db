"""Role Advisor: cited answers about job roles, built only from role documents."""

from .ask.advisor import Advisor
from .config import Settings
from .errors import AdvisorError
from .records import Answer, Citation

__all__ = ["Advisor", "AdvisorError", "Answer", "Citation", "Settings"]
