"""Tests of the flow file format: loading YAML and upgrading old formats."""
