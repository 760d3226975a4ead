"""Pages of the loket's side: the review queue, deciding, decisions and their
letters, deadlines, and the provision catalogue. (Being built in parallel: the
classes below are the agreed URL targets.)"""

from django.http import Http404
from django.views import View

from apps.decisions.models import Decision, Proposal


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class QueueView(_NotYet):
    pass


class ReviewView(_NotYet):
    model = Proposal


class DecisionDetailView(_NotYet):
    model = Decision


class DecisionLetterView(_NotYet):
    model = Decision


class DeadlinesView(_NotYet):
    pass
