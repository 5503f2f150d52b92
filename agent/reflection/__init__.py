"""Reflection: the daily review, weekly planning and monthly assessment; goals; when they
run (the schedule); and the routine that runs them, with nudges and alerts, while an app
stays up."""
