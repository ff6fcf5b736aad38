"""Package data of QPART: the trained digits network (quantize.WEIGHTS)."""
