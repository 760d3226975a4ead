import hashlib

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most `mails_per_hour` mails per address
    per hour (shared cache), so nobody can flood a colleague's mailbox. Past the
    limit the page answers exactly as before (the same "sent" page whether or
    not the address is known); only no mail goes out."""

    mails_per_hour = 3

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        key = "password-reset:" + hashlib.sha256(email.encode()).hexdigest()
        cache.add(key, 0, timeout=60 * 60)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            sent = 1
        if sent > self.mails_per_hour:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
