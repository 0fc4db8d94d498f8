"""The survey kit's reference data (fixtures/surveys.json): the tags of free-text answers and
the question templates per process group. Loaded by migration 0008 and by tests whose flush
emptied it; an entry already there (edited in «Справочники») is left as it is."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "surveys.json"


def load_survey_reference(get_model) -> None:
    """get_model(name): a segmentation model, apps.get_model-like or the real one."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    tag = get_model("AnswerTag")
    for order, name in enumerate(data["tags"], start=1):
        tag.objects.get_or_create(name=name, defaults={"order": order})
    template = get_model("SurveyTemplate")
    for order, entry in enumerate(data["templates"], start=1):
        template.objects.get_or_create(
            group_code=entry["group_code"],
            title=entry["title"],
            defaults={
                "questions": entry["questions"],
                "free_text_question": entry["free_text_question"],
                "order": order,
            },
        )
