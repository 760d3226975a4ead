"""Fields shared by the serializers of the configuration viewsets
(`apps.teams.api.base.ConfigurationViewSet`: teams and memberships here; life
domains, triage rules and provision types in intake and decisions)."""

from rest_framework import serializers


class ConfigurationVersionField(serializers.IntegerField):
    """The version of a configuration object the client read: required when
    changing one (`ConfigurationViewSet._save` says so), and a change based on
    an older version is refused with 409."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "The version you read; required when changing. A change based on an older "
            "version is refused with 409 (someone else changed it meanwhile).",
        )
        super().__init__(**kwargs)
