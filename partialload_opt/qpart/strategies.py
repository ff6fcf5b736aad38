"""Hypothesis strategies for QPART (re-exported by ``partialload_opt.testing``)."""

from __future__ import annotations

from hypothesis import strategies as st

from partialload_opt.testing import span as _span

__all__ = ["QPART_WIDE_BITS", "qpart_instances"]


QPART_WIDE_BITS = ((2, 28), (1, 2, 3, 4, 16, 32), (2, 4, 8, 16, 32), (1,), (64,), (1, 64))
"""Sparse and wide bit sets (1-bit and 64-bit included) that strain a scaled budget row."""


@st.composite
def qpart_instances(
    draw, layers=4, bits=6, readings: bool = True, memory: bool = True, wide: bool = False
):
    """A small QPART instance: a random MLP of up to ``layers`` layers (widths 1..40), a bit set of up
    to ``bits`` widths in 1..16, sensitivities from a small set (zeros and ties included), every open
    reading drawn (unless ``readings`` is False), a server price that makes interior partitions
    optimal or not, an optional memory limit, and a budget from infeasible to loose. ``wide``: the
    bit set is one of QPART_WIDE_BITS, sensitivities reach the trained network's (hundreds), and
    the budget may be as small as 1e-12 (rows spanning more than 1e15)."""
    from partialload_opt.networks import mlp
    from partialload_opt.qpart.generate import table2
    from partialload_opt.qpart.instance import READINGS, Device, QInstance, Server

    n = draw(st.integers(*_span(layers, 1)))
    widths = tuple(draw(st.integers(1, 40)) for _ in range(n + 1))
    net = tuple(mlp(widths))
    if wide:
        bitset = draw(st.sampled_from(QPART_WIDE_BITS))
    else:
        bitset = tuple(sorted(draw(st.sets(st.integers(1, 16), min_size=1, max_size=bits))))
    ks = st.sampled_from([0.0, 0.5, 1.0, 2.0, 10.0] + ([333.0] if wide else []))
    k_w = tuple(draw(ks) for _ in range(n))
    k_a = tuple(draw(ks) for _ in range(n))
    k_in = draw(ks)
    ref = draw(st.sampled_from(bitset))
    total = (sum(k_w) + sum(k_a) + k_in) * 4.0**-ref
    budget = max(total, 1e-6) * draw(st.sampled_from([0.01, 0.5, 1.0, 3.0]))
    if wide and draw(st.booleans()):  # a fixed budget, 1e-12 (infeasible on most) to loose
        budget = draw(st.sampled_from([1e-12, 1e-9, 1e-6, 1e-3, 1.0, 1e3]))
    r = dict(READINGS)
    if readings:
        r.update(
            activation_bits=draw(st.sampled_from(["shared", "separate"])),
            input=draw(st.sampled_from(["quantized", "reference"])),
            noise=draw(st.sampled_from(["weights", "weights+cut", "weights+activations"])),
            s_i=draw(st.sampled_from(["payload", "all"])),
        )
    t2 = table2()
    dev, srv = t2["device"], t2["server"]
    mem = float(draw(st.sampled_from([2000, 20000]))) if memory and draw(st.booleans()) else None
    return QInstance(
        "qhyp",
        "random",
        widths[0],
        net,
        Device(dev["clock_hz"], dev["cycles_per_mac"], dev["kappa"], dev["tx_power_w"], mem),
        Server(
            srv["clock_hz"], srv["cycles_per_mac"], draw(st.sampled_from([0.0, 100.0, 1e4, 1e6]))
        ),
        t2["channel"]["rate_bps"],
        (1.0, 1.0, 1.0),
        bitset,
        budget,
        k_w,
        k_a,
        k_in,
        r,
    )
