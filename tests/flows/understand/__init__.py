"""Tests for reading residents' replies, `flows/understand/`."""
