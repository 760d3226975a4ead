"""Reads of documents: those of a case, a question or a resident's file, for
its page (one query, with who added and withdrew them)."""

from django.db.models import Q

from apps.access import rules
from apps.cases.selectors import visible_cases
from apps.documents.models import Document
from apps.intake.selectors import visible_questions
from apps.tenants.permissions import Action


def documents_qs():
    return Document.objects.select_related(
        "uploaded_by__user", "withdrawn_by__user", "resident", "case", "question"
    )


def documents_of(*, case=None, question=None, resident=None) -> list[Document]:
    """The documents hanging on `case`, on `question`, or only on the resident's
    file (those of their cases and questions are shown there), newest first."""
    qs = documents_qs()
    if case is not None:
        qs = qs.filter(case=case)
    elif question is not None:
        qs = qs.filter(question=question)
    else:
        qs = qs.filter(resident=resident, case__isnull=True, question__isnull=True)
    return list(qs.order_by("-uploaded_at", "-pk"))


def visible_documents(user, municipality):
    """The documents of the municipality the user may see, as one queryset: of
    the cases they may open (`case.view`), of the questions they may open
    (`question.view`), and on the files of residents they work on (a question
    of the resident or of their household that they may open; the loket and
    the gate every file), as `apps.access.rules.may_see_documents` says one by
    one."""
    access = rules.for_user(user, municipality)
    rule = Q(case__in=visible_cases(user, municipality))
    if access.has(Action.QUESTION_VIEW):
        questions = visible_questions(user, municipality)
        on_file = Q(case__isnull=True, question__isnull=True)
        rule |= Q(question__in=questions)
        if access.sees_all_questions:
            rule |= on_file
        else:
            households = questions.filter(resident__household__isnull=False).values(
                "resident__household"
            )
            rule |= on_file & (
                Q(resident__in=questions.values("resident")) | Q(resident__household__in=households)
            )
    return Document.objects.filter(rule)
