"""Casework for community re-employment services under 连政发〔2003〕97号."""

__version__ = "0.1.0"
