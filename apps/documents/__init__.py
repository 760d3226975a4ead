"""Documents and attachments on a question, a case or a resident's file: uploaded,
checked by content, stored privately, downloaded through the logged file view,
withdrawn with a reason (never deleted)."""
