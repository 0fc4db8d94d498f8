"""What the API shows of segmentation: profiles with their table of attributes,
touchpoints, satisfaction assessments, surveys and their aggregated results (never an
answer by itself nor a contact left for a reply)."""

from rest_framework import serializers

from segmentation.models import (
    SatisfactionAssessment,
    SegmentAttribute,
    SegmentProfile,
    Survey,
    Touchpoint,
)
from segmentation.models.surveys import CES_SCALE, CSAT_SCALE

RECORD_FIELDS = ["id", "authority", "version", "is_archived", "created_at", "updated_at"]


class AttributeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SegmentAttribute
        exclude = ["profile", "removed_at"]


class ProfileSerializer(serializers.ModelSerializer):
    attributes = AttributeSerializer(many=True, read_only=True, source="attributes.all")

    class Meta:
        model = SegmentProfile
        fields = [
            *RECORD_FIELDS,
            "direction",
            "name",
            "client_kind",
            "path_features",
            "channels",
            "groups",
            "processes",
            "attributes",
        ]


class TouchpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = [*RECORD_FIELDS, "group", "process", "channel", "place", "description"]


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SatisfactionAssessment
        fields = [
            *RECORD_FIELDS,
            "group",
            "process",
            "period_start",
            "period_end",
            "method",
            "sample_size",
            "result",
            "satisfied_share",
            "problems",
            "actions",
        ]


class SurveyQuestionSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="Вопрос.")
    options = serializers.ListField(child=serializers.CharField(), help_text="Варианты ответа.")


class SurveySerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    public_url = serializers.CharField(
        source="get_public_url", read_only=True, help_text="Короткая ссылка на анкету."
    )
    state = serializers.CharField(
        read_only=True, help_text="открыта, закрыта, еще не начата или в архиве."
    )
    is_open = serializers.BooleanField(read_only=True, help_text="Принимает ответы сегодня.")
    answer_count = serializers.IntegerField(read_only=True, help_text="Число ответов.")
    results = serializers.HyperlinkedIdentityField(
        view_name="api:survey-results", help_text="Сводные результаты анкеты."
    )

    class Meta:
        model = Survey
        fields = [
            *RECORD_FIELDS,
            "group",
            "process",
            "touchpoint",
            "segment",
            "title",
            "purpose",
            "code",
            "public_url",
            "ask_ces",
            "questions",
            "free_text_question",
            "offer_contact",
            "starts_on",
            "ends_on",
            "state",
            "is_open",
            "answer_count",
            "results",
        ]


class SurveyScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="Оценка.")
    answers = serializers.IntegerField(help_text="Ответов с этой оценкой.")


class SurveyScaleSerializer(serializers.Serializer):
    answers = serializers.IntegerField(help_text="Ответов с оценкой по этой шкале.")
    mean = serializers.FloatField(allow_null=True, help_text="Средняя оценка (нет ответов — null).")
    distribution = SurveyScoreSerializer(many=True, help_text="Ответов с каждой оценкой.")


class SurveyTrendSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="Первый день месяца или понедельник недели.")
    answers = serializers.IntegerField()
    csat_mean = serializers.FloatField(help_text="Средняя удовлетворенность (1–5).")


class SurveyOptionCountSerializer(serializers.Serializer):
    option = serializers.CharField()
    answers = serializers.IntegerField()


class SurveyQuestionResultsSerializer(serializers.Serializer):
    text = serializers.CharField()
    options = SurveyOptionCountSerializer(many=True)


class SurveyTagCountSerializer(serializers.Serializer):
    tag = serializers.CharField(help_text="Метка проблемы в свободных ответах.")
    answers = serializers.IntegerField()


class SurveyResultsSerializer(serializers.Serializer):
    """The results page's figures (services.survey_results.report), as data."""

    period_start = serializers.DateField(allow_null=True, help_text="Ответы с этого дня.")
    period_end = serializers.DateField(allow_null=True, help_text="Ответы по этот день.")
    answers = serializers.IntegerField(help_text="Число ответов.")
    csat = SurveyScaleSerializer(help_text="Удовлетворенность (CSAT), шкала 1–5.")
    ces = SurveyScaleSerializer(help_text="Легкость получения (CES), шкала 1–7.")
    satisfied_share = serializers.FloatField(
        allow_null=True, help_text="Доля удовлетворенных (оценки 4 и 5), %."
    )
    trend_by = serializers.ChoiceField(
        ["month", "week"], help_text="Динамика по месяцам или неделям."
    )
    trend = SurveyTrendSerializer(many=True)
    questions = SurveyQuestionResultsSerializer(many=True, help_text="Вопросы с вариантами ответа.")
    tags = SurveyTagCountSerializer(
        many=True, help_text="Выявленные проблемы: метки свободных ответов."
    )


def rounded(value):
    return None if value is None else round(value, 2)


def scale(counts, scores, mean, answers) -> dict:
    distribution = [{"score": n, "answers": c} for n, c in zip(scores, counts, strict=True)]
    return {"answers": answers, "mean": rounded(mean), "distribution": distribution}


def results_data(report, by, start, end) -> dict:
    """A Report of services.survey_results as SurveyResultsSerializer's data."""
    figures = report.results
    return {
        "period_start": start,
        "period_end": end,
        "answers": figures.count,
        "csat": scale(figures.csat_counts, CSAT_SCALE, figures.csat_mean, figures.count),
        "ces": scale(figures.ces_counts, CES_SCALE, figures.ces_mean, figures.ces_count),
        "satisfied_share": figures.satisfied_share,
        "trend_by": by,
        "trend": [
            {"period": first, "answers": n, "csat_mean": rounded(mean)}
            for first, n, mean in report.trend
        ],
        "questions": [
            {"text": text, "options": [{"option": o, "answers": n} for o, n in options]}
            for text, options in report.questions
        ],
        "tags": [{"tag": name, "answers": n} for name, n in figures.tags],
    }
