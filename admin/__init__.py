"""The staff web UI and the JSON API."""
