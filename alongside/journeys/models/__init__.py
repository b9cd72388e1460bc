"""The journey of walking alongside, one module per part of the strengths-based model."""

from .activity import Activity
from .connection import Connection
from .context import Context, Trigger
from .engagement import Engagement
from .exit import Exit
from .good_life import AgreementAction, Conversation, Review, SharedAgreement, Strength
from .introduction import Introduction, IntroductionReason, Signposting
from .measurement import Measurement
from .outcome import Insulator, Outcome, Ripple
from .service_use import ServiceUseChange
from .story import ScenarioEvent, Story

__all__ = [
    "Activity", "AgreementAction", "Connection", "Context", "Conversation", "Engagement",
    "Exit", "Insulator", "Introduction", "IntroductionReason", "Measurement", "Outcome", "Review", "Ripple",
    "ScenarioEvent", "ServiceUseChange", "SharedAgreement", "Signposting", "Story", "Strength", "Trigger",
]
