"""Who may do this to that object: the object rules of the portal, on one
definition of an active membership, answered from the user's identity read once
per request (`apps.access.rules.Access`). See docs/permissions.md."""
