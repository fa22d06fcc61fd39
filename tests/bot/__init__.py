"""Tests of the running service and its command line."""
