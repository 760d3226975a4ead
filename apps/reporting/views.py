"""Pages of the monitoring reports (being built; see issue #5)."""

from django.http import Http404
from django.views import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        raise Http404


ReportListView = ReportDetailView = ReportStatusView = ReportDownloadView = _Placeholder
ReportSettingsView = _Placeholder
