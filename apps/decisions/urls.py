from django.urls import path

from apps.decisions import views

app_name = "decisions"

urlpatterns = [
    path("loket/wachtrij/", views.QueueView.as_view(), name="queue"),
    path("loket/voorstellen/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("besluiten/<int:pk>/", views.DecisionDetailView.as_view(), name="detail"),
    path("besluiten/<int:pk>/brief/", views.DecisionLetterView.as_view(), name="letter"),
    path("termijnen/", views.DeadlinesView.as_view(), name="deadlines"),
]
