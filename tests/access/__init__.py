"""Helpers of the access matrix (tests/test_access_matrix.py): the cast, and the walks over
the URL configuration that keep the matrix complete."""
