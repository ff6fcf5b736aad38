"""Solvers that are not mathematical-programming models: the paper's algorithms and our own."""
