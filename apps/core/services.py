"""Kept for callers elsewhere: the versioned save is `apps.core.versioning`."""

from apps.core.versioning import save_versioned

__all__ = ["save_versioned"]
