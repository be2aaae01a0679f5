"""Waypoint staff console: a Flet web app for clinic staff, a client of the clinic's staff API over HTTP.

It never imports `clinic` or `app` (an import-linter contract holds it); see console/main.py.
"""
