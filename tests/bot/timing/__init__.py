"""Tests of the scheduler's and dispatcher's pure time maths."""
