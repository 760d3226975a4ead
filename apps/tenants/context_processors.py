from apps.tenants.permissions import ROLE_ACTIONS, Action, Role, roles_for


def municipality(request):
    current = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    roles = roles_for(user, current) if user is not None else frozenset()
    allowed = {action for action, holders in ROLE_ACTIONS.items() if roles & holders}
    return {
        "current_municipality": current,
        "available_municipalities": getattr(request, "available_municipalities", []),
        "current_roles": sorted(roles),
        "current_role_labels": [Role(r).label for r in sorted(roles) if r != Role.STAFF],
        # e.g. {% if can.configuration_manage %}
        "can": {action.replace(".", "_"): True for action in allowed},
        "Action": Action,
    }
