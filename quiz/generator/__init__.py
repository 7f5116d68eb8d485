"""The question generator: pure functions from a unit's facts to quiz questions.

`facts_from_unit` (the only step that touches the database) and `facts_from_data`
take a plain snapshot of a unit (`facts`); `generate` and `generate_set` turn it into
questions (`choose`), built by the templates (`templates/`, one module per family);
and `check_question` re-derives from the facts alone whether a question breaks a rule
(`check`), so teachers and tests can audit any question, generated or not.
`gives_away` tells whether one question answers another (`giveaways`).

Randomness comes only from `random.Random` seeded by the caller: the same facts
and arguments always give the same questions. Each question draws its options
from its own generator, seeded by the seed, the template and the record, so a
question does not change when the filters change which other questions exist.

The prompts go through gettext, but the grammar around them (articles, verb
forms of headline titles such as "Trotsky joins the Bolshevik Party") is
English (`english`): a translation needs more than a .po file here.
"""

import sys

from quiz.generator.check import check_question
from quiz.generator.choose import Batch, generate, generate_set, spread
from quiz.generator.english import event_phrase
from quiz.generator.facts import (
    EventFact,
    Facts,
    IdeaFact,
    PersonFact,
    WorkFact,
    facts_from_data,
    facts_from_unit,
)
from quiz.generator.giveaways import gives_away, normal_text, question_key
from quiz.generator.question import GeneratedQuestion, Template
from quiz.generator.templates import TEMPLATES

__all__ = [
    "TEMPLATES",
    "Batch",
    "EventFact",
    "Facts",
    "GeneratedQuestion",
    "IdeaFact",
    "PersonFact",
    "Template",
    "WorkFact",
    "check_question",
    "clear_caches",
    "event_phrase",
    "facts_from_data",
    "facts_from_unit",
    "generate",
    "generate_set",
    "gives_away",
    "normal_text",
    "question_key",
    "spread",
]


def clear_caches() -> None:
    """Forget what the generator's modules remember (translations, parsed titles, notes):
    what the first request after a restart sees. Facts remember their own; copy them."""
    for name, module in list(sys.modules.items()):
        if name == __name__ or name.startswith(__name__ + "."):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()
