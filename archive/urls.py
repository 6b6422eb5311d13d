"""Public URLs of the archive."""

from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.Search.as_view(), name="search"),
    path("timeline/", views.Timeline.as_view(), name="timeline"),
    path("documents/", views.DocumentList.as_view(), name="document_list"),
    path("events/", views.EventList.as_view(), name="event_list"),
    path("figures/", views.FigureList.as_view(), name="figure_list"),
    path("documents/<slug:slug>/", views.DocumentDetail.as_view(), name="document_detail"),
    path("events/<slug:slug>/", views.EventDetail.as_view(), name="event_detail"),
    path("figures/<slug:slug>/", views.FigureDetail.as_view(), name="figure_detail"),
    path("places/<slug:slug>/", views.PlaceDetail.as_view(), name="place_detail"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetail.as_view(),
        name="organization_detail",
    ),
    path("topics/<slug:slug>/", views.TopicDetail.as_view(), name="topic_detail"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source_detail"),
]
