"""The search box of the public registry page."""

from django import forms

from portal.params import SearchField
from portal.widgets import style_widgets


class PublicSearchForm(forms.Form):
    q = SearchField(
        label="Поиск по реестру",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Слова из любой графы: функция, процесс, акт…"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    @property
    def words(self) -> str:
        """What to look for: nothing while the box holds a refused value."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
