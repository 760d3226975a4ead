"""What the pages about one question share (also the loket's pages in decisions)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from apps.access import rules
from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake import selectors
from apps.intake.models import Question
from apps.tenants.permissions import Action


class QuestionObjectMixin(MunicipalityRequiredMixin):
    """Loads the question: 404 outside the municipality, 403 when the user may
    not see it."""

    model = Question
    required_action = Action.QUESTION_VIEW

    def get_question(self):
        return self.question

    @cached_property
    def question(self):
        question = get_object_or_404(selectors.question_detail_qs(), pk=self.kwargs["pk"])
        if not rules.can_see_question(self.request.user, question):
            raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
        return question
