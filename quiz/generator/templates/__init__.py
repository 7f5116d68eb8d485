"""The templates: every way the generator asks a question, one module per family.

A family module lists its templates in `TEMPLATES`; each template names itself once,
there, with its kind, its builder and its checker. The order below is the order the
templates of one kind take turns in, which the seeds depend on: add a template at the
end of its family's list.
"""

from quiz.generator.templates import events, ideas, order, people, works, years

TEMPLATES = [
    *events.TEMPLATES,
    *works.TEMPLATES,
    *ideas.TEMPLATES,
    *people.TEMPLATES,
    *years.TEMPLATES,
    *order.TEMPLATES,
]
BY_NAME = {template.name: template for template in TEMPLATES}
