"""The filters of "Мои задачи": kind and state, as GET parameters."""

from __future__ import annotations

from django import forms

from portal import tasks

ALL = [("", "— все —")]


def _kinds():
    return ALL + list(tasks.KINDS.items())


class TaskFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Вид задачи", choices=_kinds, required=False)
    state = forms.ChoiceField(
        label="Срок", choices=ALL + list(tasks.STATES.items()), required=False
    )

    def refusal(self) -> str:
        """A wrong parameter named with what is allowed (a hand-made address)."""
        messages = []
        for name in self.errors:
            field = self.fields[name]
            allowed = ", ".join(f"«{key}» ({label})" for key, label in field.choices if key)
            messages.append(f"Параметр «{name}» ({field.label}): допустимы {allowed}.")
        return " ".join(messages)
