"""Analyses over de-identified research extracts: pandas in, Results objects out."""
