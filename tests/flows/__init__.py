"""Tests for the flow engine package, `flows/`."""
