"""qpart-accuracy (K8): the accuracy-degradation measure bounds the real accuracy drop (the paper:
degradation below 1 %). Measured on the trained digits network (instances made by
``generate.digits``): the exact optimum's real test-accuracy drop against the demand that set the
budget."""

from partialload_opt.verify.checks import HELD, VIOLATED, Check, Claim, skipped

CLAIM = Claim(
    "qpart-accuracy",
    "the accuracy degradation ... within the accuracy requirement",
    (("measured", "-"),),
    "the trained digits network's test accuracy, quantized as the decision says",
)


def check(ctx, reading: str, semantics: str) -> Check:
    inst = ctx.inst
    if inst.network_name != "digits" or "demand" not in inst.meta:
        return skipped(CLAIM.id, reading, semantics, "not the trained digits network")
    best = ctx.optimum()
    if best is None or best.decision is None:
        return skipped(CLAIM.id, reading, semantics, "no optimum")
    from partialload_opt.qpart import quantize as q

    net = q.load()
    if inst.L != len(net.coefs) or [layer.out_features for layer in inst.layers] != list(
        net.widths[1:]
    ):
        return skipped(CLAIM.id, reading, semantics, "the layers are not the trained network's")
    _, Xte, _, yte = q.digits_split(int(net.meta.get("seed", 0)))
    base = q.accuracy(net, Xte, yte)
    got = q.decision_accuracy(net, inst, best.decision, Xte, yte)
    demand = float(inst.meta["demand"])
    vals = {
        "baseline": base,
        "accuracy": got,
        "drop": base - got,
        "demand": demand,
        "partition": best.decision.partition,
        "bits": list(best.decision.bits),
    }
    if base - got > demand:
        return Check(
            CLAIM.id,
            reading,
            semantics,
            VIOLATED,
            CLAIM.ground_truth,
            f"the optimum loses {100 * (base - got):.2f}% accuracy, the demand allows {100 * demand:g}%",
            vals,
            {"optimum": best.decision.to_dict()},
        )
    return Check(CLAIM.id, reading, semantics, HELD, CLAIM.ground_truth, values=vals)
