"""Letters beyond the beschikking, from templates per municipality (acknowledgement
of a Wmo melding, the investigation report, notice of postponement, invitation to a
kitchen-table talk), rendered with WeasyPrint, stored and logged."""
