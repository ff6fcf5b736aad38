"""Reproducing the paper's experiments: figure definitions, the results store, sweeps, plots."""
