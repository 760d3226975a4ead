from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    """Django's, loading the person of a session with their access version in
    the same query (`apps.accounts.access_version`): the one query a request
    spends on who the user is."""

    def get_user(self, user_id):
        UserModel = get_user_model()
        user = UserModel._default_manager.select_related("access_stamp").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
