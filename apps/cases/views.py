"""Pages of cases. (Being built in parallel: the classes below are the agreed
URL targets.)"""

from django.http import Http404
from django.views import View

from apps.cases.models import Case
from apps.decisions.models import Proposal


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CaseListView(_NotYet):
    pass


class CaseDetailView(_NotYet):
    model = Case


class ProposalDetailView(_NotYet):
    model = Proposal
