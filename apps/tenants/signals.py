from django.dispatch import Signal

# Sent by municipality_create inside its transaction and the new municipality's
# scope, with `municipality`: the apps above tenants give it their defaults
# (intake: the ZRM life domains).
municipality_created = Signal()

# Sent by staff_set_active inside its transaction when a person's access to a
# municipality is switched off, with `staff_member`: the apps above tenants
# end what the access carried (agenda: the calendar feed is revoked).
staff_access_deactivated = Signal()
