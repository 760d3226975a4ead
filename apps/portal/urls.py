from django.urls import path

from apps.portal import views

# The namespace stays "core" (core:start, core:no_municipality,
# core:switch_municipality): these pages lived in apps.core before, and the
# templates, tests and LOGIN_REDIRECT_URL name them so.
app_name = "core"

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("geen-gemeente/", views.NoMunicipalityView.as_view(), name="no_municipality"),
    path("gemeente-wisselen/", views.switch_municipality_view, name="switch_municipality"),
]
