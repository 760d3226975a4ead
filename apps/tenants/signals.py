from django.dispatch import Signal

# Sent by municipality_create inside its transaction and the new municipality's
# scope, with `municipality`: the apps above tenants give it their defaults
# (intake: the ZRM life domains).
municipality_created = Signal()
