"""The models and the migrations agree, checked inside the suite, on the test database.

`make test` ran `makemigrations --check` against DATABASE_URL's database, which a fresh
machine does not have (pytest makes `test_interviews`): Django warned on every run that
it could not check the migration history there.
"""

import re
import warnings
from io import StringIO

import pytest
from django.core.management import call_command

from .conftest import ROOT


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    output = StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "could not check the migration history" fails it
        try:
            call_command("makemigrations", "--check", "--dry-run", stdout=output)
        except SystemExit:
            pytest.fail(f"the models need a migration:\n{output.getvalue()}")
    assert "No changes detected" in output.getvalue()


def test_make_test_checks_migrations_in_the_suite_only():
    recipe = re.search(r"^test:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.M | re.S)
    assert recipe and "pytest" in recipe[0]
    assert "makemigrations" not in recipe[0]
