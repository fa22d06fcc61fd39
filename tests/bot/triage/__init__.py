"""Tests for the first routers' classifiers: carrier keywords, safeguarding triage and pace."""
