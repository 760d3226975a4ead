"""Planned appointments (kitchen-table talks, home visits): personal and team
agenda, an iCalendar feed per person, an appointment that took place becomes an
activity."""
