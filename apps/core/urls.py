from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("geen-gemeente/", views.NoMunicipalityView.as_view(), name="no_municipality"),
    path("gemeente-wisselen/", views.switch_municipality_view, name="switch_municipality"),
]
