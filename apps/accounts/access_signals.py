"""Who the user is is cached under their access version
(apps.accounts.access_version): any save or delete of their account or of one
of their second-factor devices (of any kind: django-otp's devices are
subclasses of Device) gives them a new one. Connected in AccountsConfig.ready."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.models import Device

from apps.accounts import access_version


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.bump_user")
def bump_on_user_change(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        access_version.stamp_new_user(instance)
    else:
        access_version.bump_users([instance.pk])


@receiver(post_save, dispatch_uid="accounts.bump_device_saved")
@receiver(post_delete, dispatch_uid="accounts.bump_device_deleted")
def bump_on_device_change(sender, instance, raw=False, **kwargs):
    if not raw and isinstance(instance, Device):
        access_version.bump_users([instance.user_id])


@receiver(pre_save, dispatch_uid="accounts.bump_device_moved")
def bump_on_device_moved(sender, instance, raw=False, **kwargs):
    """A device given to another account: its former owner's sessions that it
    verified are no longer verified on their next request."""
    if raw or not isinstance(instance, Device) or instance.pk is None:
        return
    owner = type(instance)._default_manager.filter(pk=instance.pk).values_list("user_id", flat=True)
    owner = owner.first()
    if owner is not None and owner != instance.user_id:
        access_version.bump_users([owner])
