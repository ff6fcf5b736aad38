"""Instances: loading, validation (one clean error per rule), derived data, BLS detection."""

from __future__ import annotations

import copy
import json
import warnings

import pytest
from hypothesis import given

from partialload_opt.errors import InputError
from partialload_opt.partialloading.instance import (
    Block,
    Instance,
    InstanceWarning,
    LoadRates,
    Model,
    User,
    instance_from_dict,
    load_instance,
)
from partialload_opt.testing import mutated_documents

from conftest import HANDMADE, INSTANCES, PAPER, SMALL, handmade

VALID = json.loads(HANDMADE[2].read_text())  # h3-abc


def _mutate(path, value=None, delete=False):
    doc = copy.deepcopy(VALID)
    node = doc
    for part in path[:-1]:
        node = node[part]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


BAD = [
    (("deadline_s",), -1, "deadline_s must be > 0"),
    (("deadline_s",), 0, "deadline_s must be > 0"),
    (("slot_s",), 0.0, "slot_s must be > 0"),
    (("bandwidth_hz",), 0, "bandwidth_hz must be > 0"),
    (("bandwidth_hz",), float("nan"), "bandwidth_hz must be a finite number"),
    (("deadline_s",), float("inf"), "deadline_s must be a finite number"),
    (("blocks", 0, "size_bytes"), 10**400, "blocks[0].size_bytes must be a finite number"),
    (("blocks", 1, "size_bytes"), -5, "blocks[1].size_bytes must be >= 0"),
    (("users", 1, "model"), "m9", "users[1].model 'm9' is not a model id"),
    (("users", 2, "id"), "uA", "users[2].id 'uA' duplicates users[0].id"),
    (("models", 1, "id"), "A", "models[1].id 'A' duplicates models[0].id"),
    (("models", 0, "blocks"), [], "models[0].blocks must have at least 1 item"),
    (("models", 0, "blocks"), ["alpha", "zzz"], "models[0].blocks[1] 'zzz' is not a block id"),
    (("models", 0, "mu_s"), "fast", "models[0].mu_s must be of type number"),
    (
        ("models", 0, "memory_per_sample_bytes"),
        5000,
        "does not fit in GPU memory even with a batch of one",
    ),
    (("format",), "partialload-instance/2", "format unknown format version"),
    (("users", 0, "spectral_efficiency"), 0, "users[0].spectral_efficiency must be > 0"),
    (("users", 0, "data_bits"), True, "users[0].data_bits must be of type number"),
    (("load", "extra"), 1, "load.extra is not a known field"),
]


@pytest.mark.parametrize("path,value,message", BAD, ids=[m for _, _, m in BAD])
def test_bad_instance_raises_one_line_naming_field_and_rule(path, value, message):
    with pytest.raises(InputError) as e:
        instance_from_dict(_mutate(path, value), "x.json")
    assert str(e.value).startswith("x.json: ")
    assert message in str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("field", ["name", "users", "load", "blocks", "deadline_s"])
def test_missing_field_is_named(field):
    with pytest.raises(InputError, match=f"x.json: {field} is missing"):
        instance_from_dict(_mutate((field,), delete=True), "x.json")


def test_truncated_json_is_an_input_error(tmp_path):
    p = tmp_path / "t.json"
    p.write_text(HANDMADE[0].read_text()[:50])
    with pytest.raises(InputError, match="is not valid JSON"):
        load_instance(p)


def test_unused_block_is_a_warning_not_an_error():
    doc = copy.deepcopy(VALID)
    doc["blocks"].append({"id": "orphan", "size_bytes": 1})
    with pytest.warns(InstanceWarning, match="x.json: blocks .'orphan'. are used by no model"):
        instance_from_dict(doc, "x.json")


@given(mutated_documents(VALID))
def test_any_mutation_is_valid_or_an_input_error(doc):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InstanceWarning)
        try:
            inst = instance_from_dict(doc, "m.json")
        except InputError as e:
            assert str(e).startswith("m.json: ") and "\n" not in str(e)
            return
        # a valid mutation still gives usable derived data: every requested model fits a batch of one
        assert all(inst.b_max[i] >= 1 for i in inst.requested_models)
        assert instance_from_dict(inst.to_dict(), "again").to_dict() == inst.to_dict()


@pytest.mark.parametrize("path", PAPER + SMALL + HANDMADE, ids=lambda p: p.stem)
def test_every_shipped_instance_loads_and_round_trips(path):
    inst = load_instance(path)
    again = instance_from_dict(json.loads(json.dumps(inst.to_dict())), "rt")
    assert again.to_dict() == inst.to_dict()


def test_derived_data_of_the_abc_example():
    inst = handmade("h3-abc")
    A, B, C = (inst.model_index[m] for m in "ABC")
    assert inst.p.tolist() == [1000.0, 1000.0, 1000.0]
    assert list(inst.b_max) == [2, 2, 2]  # 400 + 2*300 <= 1000 < 400 + 3*300
    assert inst.load_bytes[0, A] == 5000 and inst.load_bytes[1 + A, B] == 3000
    assert inst.load_bytes[1 + B, A] == 1000 and inst.load_bytes[1 + C, A] == 5000
    assert inst.load_bytes[1 + A, A] == 0
    assert inst.clusters == ((A, B), (C,))
    assert inst.is_bls and inst.l == (1, 1, 0)


def test_users_of_a_model_are_sorted_by_p_then_id():
    u = [User("b", "M", 2.0, 1.0), User("a", "M", 2.0, 1.0), User("c", "M", 1.0, 1.0)]
    inst = Instance(
        "t",
        1.0,
        0.1,
        1.0,
        10.0,
        LoadRates(1, 1),
        (Block("x", 1),),
        (Model("M", ("x",), 0, 0, 0, 1),),
        tuple(u),
    )
    assert [inst.users[k].id for k in inst.users_of[0]] == ["c", "a", "b"]


def _lib(model_blocks: dict[str, list[str]]) -> Instance:
    ids = sorted({b for bs in model_blocks.values() for b in bs})
    return Instance(
        "t",
        1.0,
        0.1,
        1.0,
        10.0,
        LoadRates(1, 1),
        tuple(Block(b, 1.0) for b in ids),
        tuple(Model(m, tuple(bs), 0, 0, 0, 1) for m, bs in model_blocks.items()),
        (),
    )


def test_bls_detection_two_clusters_with_nested_prefixes():
    inst = _lib(
        {
            "a": ["p1", "a"],
            "b": ["p1", "p2", "b"],
            "c": ["p1", "p2", "c"],
            "d": ["q1", "d"],
            "e": ["q1", "e"],
            "f": ["f"],
        }
    )
    assert inst.is_bls
    assert len(inst.clusters) == 3
    assert inst.l == (1, 2, 2, 1, 1, 0)
    assert inst.cluster_order[0] == (0, 1, 2)


def test_bls_detection_rejects_a_non_nested_pair():
    # a and c each share a different block with b: shared sets {p1} and {p2} are not nested
    inst = _lib({"a": ["p1", "a"], "b": ["p1", "p2", "b"], "c": ["p2", "c"]})
    assert not inst.is_bls
    assert "not nested" in inst.bls_reason
    with pytest.raises(ValueError):
        _ = inst.l


def test_bls_detection_accepts_sharing_away_from_the_bottom_when_still_nested():
    # design.md: BLS is derived from the block sets (nested shared sets), not from positions
    inst = _lib({"a": ["a", "top"], "b": ["b", "top"]})
    assert inst.is_bls and inst.l == (1, 1)


def test_independent_view_shares_nothing_and_keeps_sizes():
    inst = handmade("h3-abc")
    ind = inst.independent_view()
    assert len(ind.clusters) == inst.I
    assert ind.model_bytes.tolist() == inst.model_bytes.tolist()
    for prev in range(inst.I):
        for i in range(inst.I):
            expected = 0.0 if prev == i else ind.model_bytes[i]
            assert ind.load_bytes[1 + prev, i] == expected


def test_instance_summary_states_the_facts_check_prints():
    from partialload_opt.partialloading.instance import instance_summary

    from conftest import handmade

    s = instance_summary(handmade("h3-abc"))
    assert (s["K"], s["I"], s["name"]) == (3, 3, "h3-abc") and s["any_user_servable"] is True
    assert s["b_max"][0] <= s["b_max"][1] and s["slots"] >= 1


def test_derived_data_goes_with_its_instance():
    """Segment tables and bounds are memoised on the instance, so a sweep's finished instances are
    freed (a module-level cache keyed by the instance kept every one alive: 7.6 GB over Fig. 7)."""
    import gc
    import weakref

    from partialload_opt.partialloading.bounds import best_bound
    from partialload_opt.partialloading.segments import SegmentCosts

    inst = load_instance(INSTANCES / "paper" / "fig7-default-seed0.json")
    assert SegmentCosts.of(inst) is SegmentCosts.of(inst)
    best_bound(inst, "slotted")
    ref = weakref.ref(inst)
    del inst
    gc.collect()
    assert ref() is None


def _h3_with(tmp_path, **fields):
    import json

    from conftest import HANDMADE

    doc = json.loads(next(p for p in HANDMADE if p.name == "h3-abc.json").read_text())
    doc.update(fields)
    path = tmp_path / "i.json"
    path.write_text(json.dumps(doc))
    return path


def test_a_slot_lost_to_a_deadline_written_a_hair_short_is_a_warning_naming_the_fix(tmp_path):
    """Issue 31: deadline_s = 8 * slot in Python prints 4e-19 s short of 8 slots in decimal."""
    from partialload_opt.partialloading.instance import InstanceWarning

    slot = 0.0017005489597674633
    path = _h3_with(tmp_path, slot_s=slot, deadline_s=8 * slot)
    with pytest.warns(InstanceWarning) as got:
        inst = load_instance(path)
    assert inst.T == 7
    text = str(got[0].message)
    assert text.startswith(f"{path}: deadline_s / slot_s reads as T = 7 slots, 4e-19 s short of 8")
    fixed = float(text.rsplit("deadline_s = ", 1)[1])
    assert inst.with_deadline_slots(8).T == 8 and inst.with_deadline_slots(8).deadline_s == fixed
    # sum([0.1] * 8) on Python <= 3.11 (3.12's sum() is compensated and gives 0.8): written out
    path = _h3_with(tmp_path, slot_s=0.1, deadline_s=0.7999999999999999)
    with pytest.warns(InstanceWarning, match="reads as T = 7 slots.*write deadline_s = 0.8"):
        load_instance(path)


def test_no_warning_where_the_deadline_is_a_whole_number_of_slots_or_clearly_between(tmp_path):
    import warnings

    for deadline in (0.008, 0.0085):
        path = _h3_with(tmp_path, slot_s=0.001, deadline_s=deadline)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_instance(path)


def test_an_instance_where_nobody_can_be_served_is_a_warning(tmp_path):
    from partialload_opt.partialloading.instance import InstanceWarning

    with pytest.warns(InstanceWarning, match=r"deadline_s < slot_s \(T = 0 slots\)"):
        load_instance(_h3_with(tmp_path, slot_s=0.01, deadline_s=0.005))
    with pytest.warns(InstanceWarning, match="no user can be served at all"):
        load_instance(_h3_with(tmp_path, slot_s=1e-9, deadline_s=1e-9))


def test_whole_slots_deadline_gives_exactly_n_slots_for_awkward_slots():
    from partialload_opt.partialloading.timebase import rational, whole_slots_deadline

    for slot in (0.0017005489597674633, 0.1, 1 / 3, 1e-7, 997.0):
        for n in (1, 7, 8, 100, 12345):
            d = whole_slots_deadline(slot, n)
            assert rational(d) >= rational(slot) * n > rational(d) - rational(slot)


def test_an_instance_says_what_it_is_in_one_line():
    assert repr(handmade("h3-abc")) == "Instance('h3-abc', K=3, I=3, BLS, T=17 slots)"
    general = load_instance(INSTANCES / "small" / "general-019.json")
    assert (
        repr(general)
        == "Instance('small-general-k11-i5-f0.1-seed19', K=11, I=5, general, T=11 slots)"
    )


def test_an_instances_html_escapes_its_names_and_shows_its_numbers():
    from dataclasses import replace

    inst = replace(handmade("h3-abc"), name="<b>&co")
    html = inst._repr_html_()
    assert "<b>&co" not in html and "&lt;b&gt;&amp;co" in html
    for fact in ("users K</th>", ">3<", "T = 17 slots", "17 ms", "l_i"):  # K, T, Tbar, BLS's l_i
        assert fact in html, fact
    assert [m.id for m in inst.models] == ["A", "B", "C"] and all(f">{m}<" in html for m in "ABC")


def test_hypothesis_still_prints_an_instance_by_its_fields():
    """A falsifying example stays reproducible: hypothesis prints a dataclass field by field, not by
    its one-line ``__repr__``; equality and hashing are the dataclass's as before."""
    from hypothesis.vendor.pretty import pretty

    inst = handmade("h1-batching")
    assert (
        pretty(inst).replace("\n", "").startswith("Instance(name='h1-batching', deadline_s=0.015,")
    )
    assert inst.users[0] == User(id="u1", model="M", data_bits=1000.0, spectral_efficiency=1.0)
