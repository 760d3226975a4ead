"""A letter sent is never changed or removed: the ORM refuses it and, on
PostgreSQL, so does the database (trigger `letters_letter_append_only`), for
every role including the owner. The row is inserted once, complete, with its
PDF already stored."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_scopes import scope

from apps.letters import services
from apps.letters.models import Letter
from apps.letters.placeholders import LetterKind


@pytest.fixture
def letter(town):
    with scope(municipality=town["m"]):
        return services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )


def test_the_row_is_complete_when_inserted(letter):
    assert letter.file.name and letter.file.storage.exists(letter.file.name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT file FROM letters_letter WHERE id = %s", [letter.pk])
        assert cursor.fetchone()[0] == letter.file.name


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE letters_letter SET subject = 'vervalst' WHERE id = %s",
        "DELETE FROM letters_letter WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_a_letter(letter, statement):
    with (
        pytest.raises(DatabaseError, match="letters_letter is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [letter.pk])
    with scope(municipality=letter.municipality):
        assert Letter.objects.get(pk=letter.pk).subject == letter.subject
