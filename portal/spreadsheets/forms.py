"""The upload field of every form that takes a spreadsheet."""

from django import forms

from .reader import within_upload_limit


class SpreadsheetField(forms.FileField):
    """A spreadsheet within the reader's upload limit (checked before a byte is read), refused
    in Russian when missing or empty. `what` names the file in those sentences ("файл
    реестра"); `formats`, when given, follows it in the sentence about an empty file."""

    def __init__(self, *, what: str, accept: str, formats: str = "", attrs=None, **kwargs):
        kind = f"{what} {formats}" if formats else what
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Выберите {what}.",
                "empty": f"Файл пустой: выберите {kind}, в котором есть таблица.",
            },
        )
        widget = forms.ClearableFileInput(attrs={"accept": accept, **(attrs or {})})
        super().__init__(widget=widget, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return within_upload_limit(upload) if upload else upload
