from django.dispatch import Signal

# Sent inside case_close's transaction, with the locked `case`, before it is
# closed: a receiver that must hold the case open raises DomainError (decisions:
# a proposal still waits at the loket). Receivers must not swallow errors.
case_closing = Signal()

# Sent inside case_transfer's transaction, with the locked `case`, before it
# moves to another team: a receiver that must keep it where it is raises
# DomainError (decisions: a proposal still waits at the loket).
case_moving = Signal()
