import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.normalize import normalize_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=normalize_email(email))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Not owned by a municipality: one person can work for
    several (DUO+ staff serve Uithoorn and Ouder-Amstel). What they may do in a
    municipality comes from their `tenants.StaffMember` record there.

    `is_staff`/`is_superuser` are reserved for platform admins (Django admin).
    """

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("toegang tot platformbeheer"),
        default=False,
        help_text=_(
            "Alleen samen met superuser: het platformbeheer is er uitsluitend voor superusers."
        ),
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    last_municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("laatst gebruikte gemeente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PasswordResetMail(models.Model):
    """One password-reset mail sent, by address (a SHA-256 of the normalised
    address, not the address itself): the budget of mails per address per hour
    is counted here, in the database, so it holds with Redis gone too."""

    address = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address", "sent_at"], name="accounts_reset_addr_sent")]

    def __str__(self):
        return f"{self.address[:12]}… {self.sent_at:%Y-%m-%d %H:%M}"


class AccessStamp(models.Model):
    """The access version of a person (`apps.accounts.access_version`): a new
    random value whenever anything that decides who they are changes (their
    account, second-factor devices, staff records, memberships, teams,
    municipalities). Cached answers about the person are keyed by it, so a
    change makes every older answer unreachable in the same transaction."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="access_stamp"
    )
    version = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return f"{self.user_id}: {self.version}"
