"""ipywidgets exercises for the training modules, thin views over the csec content and rules engine.

    from widgets import VignettePlayer, Quiz, IndicatorChecklist
    IndicatorChecklist()                     # tick indicators, see at risk yes/no and why
    VignettePlayer("some-scenario-id")       # a case vignette with feedback from the rules engine
    Quiz(module="csec-101", n=10)            # questions from the module's bank, with a score

(The package is named `widgets`; ipywidgets is always imported as `ipw` inside it.)
"""

from .checklist import IndicatorChecklist
from .progress import ProgressSummary, completion_summary
from .quiz import Quiz
from .vignette import ModuleVignettes, VignettePlayer

__all__ = ["IndicatorChecklist", "VignettePlayer", "Quiz", "ModuleVignettes", "ProgressSummary", "completion_summary"]
