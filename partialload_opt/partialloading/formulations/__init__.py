"""Exact mathematical-programming models of P1/P2; their written forms are in formulations/*.md."""
