"""Properties of a schedule (a list of (model, users) batches) that the paper's theorems assert."""

from __future__ import annotations

from partialload_opt.partialloading.instance import Instance


def runs(batches) -> list[tuple[int, int, int]]:
    """Maximal runs of one model: (model, first batch, last batch)."""
    out: list[tuple[int, int, int]] = []
    for n, (i, _) in enumerate(batches):
        if out and out[-1][0] == i:
            out[-1] = (i, out[-1][1], n)
        else:
            out.append((i, n, n))
    return out


def contiguous(keys) -> bool:
    """Each key's positions form one block (A A B B, not A B A)."""
    seen, last = set(), None
    for key in keys:
        if key != last and key in seen:
            return False
        seen.add(key)
        last = key
    return True


def thm2_1_holds(inst: Instance, batches) -> bool:
    """Users of a model in the same or consecutive batches, in ascending p_k: each batch takes the
    lowest-p_k users of its model not yet served (ties in p_k are free)."""
    if not contiguous([i for i, _ in batches]):
        return False
    p = inst.p
    served: dict[int, list] = {}
    for i, ks in batches:
        served.setdefault(i, []).append(ks)
    for i, groups in served.items():
        done: set[int] = set()
        for ks in groups:
            rest = [k for k in inst.users_of[i] if k not in done]
            chosen = sorted(p[k] for k in ks)
            lowest = sorted(p[k] for k in rest)[: len(ks)]
            if chosen != lowest:
                return False
            done |= set(ks)
    return True


def thm2_2_holds(inst: Instance, batches) -> bool:
    """In every run of one model's batches, all but the last batch are full (b_max users)."""
    for i, first, last in runs(batches):
        if any(len(batches[n][1]) != int(inst.b_max[i]) for n in range(first, last)):
            return False
    return True


def thm3_holds(inst: Instance, batches) -> bool:
    """Users of one cluster in the same or consecutive batches."""
    return contiguous([int(inst.cluster_of[i]) for i, _ in batches])


def cor1_holds(inst: Instance, batches) -> bool:
    """Inside each cluster, models are loaded in ascending l_i (ties free)."""
    last_l: dict[int, int] = {}
    prev = None
    for i, _ in batches:
        if i == prev:
            continue
        c = int(inst.cluster_of[i])
        if inst.l[i] < last_l.get(c, -1):
            return False
        last_l[c] = inst.l[i]
        prev = i
    return True
