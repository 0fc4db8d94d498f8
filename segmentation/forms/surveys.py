"""A survey (the officer's form, its closed questions as three pairs of fields) and a visitor's
answer (the public form, built from the survey: its scales, questions, the honeypot)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from portal.widgets import style_widgets, text_areas
from segmentation.models import SegmentProfile, Survey, SurveyTemplate, Touchpoint
from segmentation.models.surveys import CONTACT_LIMIT, MAX_QUESTIONS, TEXT_LIMIT

from .base import AuthorityScopedForm

HONEYPOT = "website"  # a field people do not see and robots fill in
RADIOS = {"class": "form-check-input"}


def template_initial(template: SurveyTemplate) -> dict:
    initial = {"title": template.title, "free_text_question": template.free_text_question}
    for number, question in enumerate(template.questions[:MAX_QUESTIONS], start=1):
        initial[f"question_{number}"] = question["text"]
        initial[f"options_{number}"] = "\n".join(question["options"])
    return initial


class SurveyForm(AuthorityScopedForm):
    class Meta:
        model = Survey
        fields = [
            "authority",
            "group",
            "process",
            "touchpoint",
            "segment",
            "title",
            "purpose",
            "starts_on",
            "ends_on",
            "ask_ces",
            "free_text_question",
            "offer_contact",
        ]
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        widgets = {"starts_on": date, "ends_on": date, **text_areas(2, "purpose")}

    def __init__(self, *args, template: SurveyTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_QUESTIONS + 1):
            self.fields[f"question_{number}"] = forms.CharField(
                label=f"Вопрос {number} с вариантами ответа", required=False, max_length=300
            )
            self.fields[f"options_{number}"] = forms.CharField(
                label=f"Варианты ответа на вопрос {number} (каждый с новой строки)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        authority = self.instance.authority if self.instance.authority_id else self.user.authority
        for name, model in (("touchpoint", Touchpoint), ("segment", SegmentProfile)):
            rows = model.objects.filter(is_archived=False)
            self.fields[name].queryset = rows.filter(authority=authority) if authority else rows
        if not self.is_bound:
            self._initial_questions(template)
        style_widgets(self, small=True)

    def _initial_questions(self, template):
        if self.instance.pk:
            self.initial.update(template_initial(self.instance))
        elif template is not None:
            self.initial.update(template_initial(template))
        if not self.instance.pk:
            today = timezone.localdate()
            # model_to_dict() gave None for both
            self.initial["starts_on"] = self.initial.get("starts_on") or today
            self.initial["ends_on"] = self.initial.get("ends_on") or today + timedelta(days=90)

    def clean(self):
        data = super().clean()
        questions = []
        for number in range(1, MAX_QUESTIONS + 1):
            text = data.get(f"question_{number}", "").strip()
            lines = data.get(f"options_{number}", "").splitlines()
            options = [line.strip() for line in lines if line.strip()]
            if text or options:
                questions.append({"text": text, "options": options})
        self.instance.questions = questions
        return data


def scale(low: str, high: str, points) -> list[tuple[int, str]]:
    last = points[-1]
    return [
        (n, f"{n} — {low}" if n == 1 else f"{n} — {high}" if n == last else str(n)) for n in points
    ]


class AnswerForm(forms.Form):
    csat = forms.TypedChoiceField(
        label="Насколько вы довольны?",
        coerce=int,
        choices=scale("совсем не доволен", "очень доволен", range(1, 6)),
        widget=forms.RadioSelect(attrs=RADIOS),
        error_messages={"required": "Выберите оценку от 1 до 5."},
    )
    text = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT, "class": "form-control"}),
        error_messages={"max_length": f"Ответ длиннее {TEXT_LIMIT} знаков: сократите его."},
    )
    contact = forms.CharField(
        label="Телефон или электронная почта для ответа (необязательно)",
        required=False,
        max_length=CONTACT_LIMIT,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"max_length": f"Контакт длиннее {CONTACT_LIMIT} знаков."},
    )
    consent = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs=RADIOS))
    website = forms.CharField(
        label="Не заполняйте это поле",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, survey: Survey, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["consent"].label = consent_text
        if survey.ask_ces:
            self.fields["ces"] = forms.TypedChoiceField(
                label="Насколько легко было получить то, за чем вы обращались?",
                coerce=int,
                choices=scale("очень трудно", "очень легко", range(1, 8)),
                widget=forms.RadioSelect(attrs=RADIOS),
                required=False,
                empty_value=None,
            )
        for number, question in enumerate(survey.questions[:MAX_QUESTIONS], start=1):
            self.fields[f"choice_{number}"] = forms.TypedChoiceField(
                label=question["text"],
                coerce=int,
                choices=list(enumerate(question["options"])),
                widget=forms.RadioSelect(attrs=RADIOS),
                required=False,
                empty_value=None,
            )
        if survey.free_text_question:
            self.fields["text"].label = survey.free_text_question
        else:
            del self.fields["text"]
        if not survey.offer_contact:
            del self.fields["contact"], self.fields["consent"]
        self.order_fields(["csat", "ces", "choice_1", "choice_2", "choice_3", "text"])

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean(self):
        data = super().clean()
        if data.get("contact", "").strip() and not data.get("consent"):
            self.add_error(
                "consent",
                "Чтобы оставить контакт, отметьте согласие на обработку персональных данных "
                "или сотрите контакт.",
            )
        return data

    def answer(self) -> dict:
        """What services.surveys.record_answer takes."""
        data = self.cleaned_data
        choices = [data.get(f"choice_{n}") for n in range(1, MAX_QUESTIONS + 1)]
        return {
            "csat": data["csat"],
            "ces": data.get("ces"),
            "choices": tuple(choices),
            "text": data.get("text", ""),
            "contact": data.get("contact", "") if data.get("consent") else "",
            "consent_text": self.fields["consent"].label if "consent" in self.fields else "",
        }
