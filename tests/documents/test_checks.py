"""`manage.py check --deploy` warns when uploads would be stored unscanned."""

from django.core.checks import Warning, run_checks

from apps.documents.checks import check_virus_scanner


def deploy_ids():
    return [m.id for m in run_checks(include_deployment_checks=True)]


def test_production_without_a_scanner_is_warned_about(settings):
    settings.DEBUG = False
    settings.CLAMD_ADDRESS = ""
    settings.DOCUMENT_SCAN = ""
    messages = check_virus_scanner(None)
    assert [m.id for m in messages] == ["documents.W001"]
    assert isinstance(messages[0], Warning)
    assert "unscanned" in messages[0].msg
    assert "documents.W001" in deploy_ids()


def test_the_warning_is_a_deploy_check_only(settings):
    settings.DEBUG = False
    settings.CLAMD_ADDRESS = ""
    settings.DOCUMENT_SCAN = ""
    assert "documents.W001" not in [m.id for m in run_checks(include_deployment_checks=False)]


def test_a_scanner_address_or_an_explicit_off_or_debug_silences_it(settings):
    settings.DEBUG = False
    settings.DOCUMENT_SCAN = ""
    settings.CLAMD_ADDRESS = "tcp://clamav:3310"
    assert check_virus_scanner(None) == []
    settings.CLAMD_ADDRESS = ""
    settings.DOCUMENT_SCAN = "off"
    assert check_virus_scanner(None) == []
    settings.DOCUMENT_SCAN = ""
    settings.DEBUG = True
    assert check_virus_scanner(None) == []
