"""Tests for Companion."""
