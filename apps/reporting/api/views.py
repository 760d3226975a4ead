from rest_framework import viewsets


class ReportViewSet(viewsets.ViewSet):
    def list(self, request):
        from django.http import Http404

        raise Http404
