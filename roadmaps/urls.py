from django.urls import path

from roadmaps import views as v

app_name = "roadmaps"

urlpatterns = [
    path("", v.RoadmapListView.as_view(), name="roadmap_list"),
    path("deadlines/", v.DeadlineBoardView.as_view(), name="deadlines"),
    path("<int:pk>/", v.RoadmapDetailView.as_view(), name="roadmap_detail"),
    path("report/", v.AllRoadmapsReportView.as_view(), name="roadmap_report_all"),
    path("<int:pk>/report/", v.RoadmapReportView.as_view(), name="roadmap_report"),
    path("<int:pk>/amend/", v.RoadmapAmendView.as_view(), name="roadmap_amend"),
    path("<int:pk>/instantiate/", v.RoadmapInstantiateView.as_view(), name="roadmap_instantiate"),
    path("items/<int:pk>/", v.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/evidence/", v.EvidenceAddView.as_view(), name="item_evidence"),
    path("evidence/<int:pk>/file/", v.EvidenceFileView.as_view(), name="evidence_file"),
    path("items/<int:pk>/status/", v.ItemStatusView.as_view(), name="item_status"),
    path("items/<int:pk>/shares/", v.ItemSharesView.as_view(), name="item_shares"),
    path("items/<int:pk>/split/", v.ItemSplitView.as_view(), name="item_split"),
    path("items/<int:pk>/units/", v.ItemUnitsView.as_view(), name="item_units"),
    path("calendar/reissue/", v.CalendarReissueView.as_view(), name="calendar_reissue"),
    path("calendar/<slug:token>.ics", v.CalendarFeedView.as_view(), name="calendar"),
    path("mine/", v.MyMeasuresView.as_view(), name="mine"),
    path("choices/owners/", v.OwnerChoicesView.as_view(), name="owner_autocomplete"),
    path(
        "choices/responsible/",
        v.ResponsibleChoicesView.as_view(),
        name="responsible_autocomplete",
    ),
    path("choices/sections/", v.SectionChoicesView.as_view(), name="section_autocomplete"),
]
