"""qpart-instance/1: round trip, derived sizes, and bad input as one line naming the field."""

from __future__ import annotations

import copy
import json

import pytest

from partialload_opt.errors import InputError
from partialload_opt.networks import mlp, resnet
from partialload_opt.qpart import load_qinstance, qinstance_from_dict

from conftest import INSTANCES

TINY = INSTANCES / "qpart" / "tiny-handmade.json"
DOC = json.loads(TINY.read_text())


@pytest.mark.parametrize("path", sorted((INSTANCES / "qpart").glob("*.json")), ids=lambda p: p.stem)
def test_shipped_instances_round_trip(path):
    inst = load_qinstance(path)
    assert qinstance_from_dict(inst.to_dict()) == inst


def test_derived_sizes():
    inst = load_qinstance(TINY)
    assert list(inst.w) == [10, 3] and list(inst.a) == [4, 2, 1] and list(inst.o) == [8, 2]
    assert inst.partitions == (0, 1)
    assert sum(layer.params for layer in mlp()) == 576_810
    r50 = resnet("resnet50")
    assert (
        sum(layer.params for layer in r50) == 25_557_032
        and round(sum(layer.macs for layer in r50) / 1e9, 2) == 4.09
    )


def _set(doc, path, value):
    d = copy.deepcopy(doc)
    node = d
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return d


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("channel", "rate_bps"), -1.0, "channel.rate_bps"),
        (("device", "clock_hz"), 0, "device.clock_hz"),
        (("network", "layers"), [], "network.layers"),
        (("bits",), [0, 4], "bits[0]"),
        (("network", "layers", 0, "kind"), "attention", "network.layers[0].kind"),
        (("sensitivity", "weights"), [1.0], "sensitivity.weights"),
        (("readings", "noise"), "everything", "readings.noise"),
        (("accuracy_budget",), None, "accuracy_budget"),
    ],
)
def test_bad_input_names_the_field(path, value, field):
    with pytest.raises(InputError) as e:
        qinstance_from_dict(_set(DOC, path, value), "bad.json")
    assert str(e.value).startswith(f"bad.json: {field}") or field in str(e.value), str(e.value)


def test_the_channel_rate_from_eqs_11_to_13():
    import math

    doc = copy.deepcopy(DOC)
    doc["channel"] = {"bandwidth_hz": 1e6, "gain": 1e-10, "noise_w": 1e-13}
    inst = qinstance_from_dict(doc, "channel.json")
    assert math.isclose(inst.rate_bps, 1e6 * math.log2(1 + 1.0 * 1e-10 / 1e-13))  # P = 1 W
    doc["channel"] = {"gain": 1.0}
    with pytest.raises(InputError, match="channel"):
        qinstance_from_dict(doc, "bad.json")


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    "path, value",
    [
        (("device", "clock_hz"), INF),
        (("device", "kappa"), NAN),
        (("device", "memory_bits"), INF),
        (("server", "price_per_s"), INF),
        (("server", "cycles_per_mac"), NAN),
        (("channel", "rate_bps"), INF),
        (("objective", "cost"), NAN),
        (("accuracy_budget",), INF),
        (("sensitivity", "weights", 0), NAN),
        (("sensitivity", "activations", 1), INF),
        (("sensitivity", "input"), NAN),
        (("accuracy_levels",), [0.1, INF]),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_nan_and_infinity_are_rejected_with_the_field_and_the_rule(path, value):
    with pytest.raises(InputError) as e:
        qinstance_from_dict(_set(DOC, path, value), "bad.json")
    assert "must be a finite number" in str(e.value) and str(e.value).startswith("bad.json: ")
    assert ".".join(str(k) for k in path if not isinstance(k, int)) in str(e.value)


def test_nan_in_a_file_is_one_line_and_exit_2(tmp_path):
    from typer.testing import CliRunner

    from partialload_opt.cli import app

    bad = tmp_path / "nan.json"
    bad.write_text(json.dumps(_set(DOC, ("sensitivity", "weights", 0), NAN)))
    for cmd in ("check", "solve"):
        r = CliRunner().invoke(app, ["qpart", cmd, str(bad)])
        assert r.exit_code == 2 and "sensitivity.weights[0] must be a finite number" in r.output


def test_missing_objective_weights_take_the_documented_defaults():
    """formulations/qpart.md: omega_t = omega_e = omega_c = 1, the profile's; a server price counts."""
    from partialload_opt.qpart.generate import table2
    from partialload_opt.qpart.instance import OBJECTIVE

    assert OBJECTIVE == {k: v for k, v in table2()["objective"].items()}
    assert qinstance_from_dict(_set(DOC, ("objective",), None)).weights == (1.0, 1.0, 1.0)
    partial = _set(DOC, ("objective",), {"time": 2.0})
    assert qinstance_from_dict(partial).weights == (2.0, 1.0, 1.0)


def test_a_convolution_counts_its_bias_and_eq_2_counts_output_positions():
    """formulations/qpart.md section 1: PyTorch's default conv bias; H_out x W_out with "same" padding."""
    from partialload_opt.networks import Layer

    conv = Layer("c", "conv", 3, 8, kernel=3, stride=2, in_hw=(9, 9))
    assert conv.out_hw == (5, 5)  # floor((9 + 2 - 3) / 2) + 1
    assert conv.params == 3 * 8 * 9 + 8 and conv.activations == 8 * 25
    assert conv.macs == 3 * 8 * 9 * 25
    bn = Layer("c", "conv", 3, 8, kernel=3, stride=2, in_hw=(9, 9), batch_norm=True)
    assert bn.params == 3 * 8 * 9 + 2 * 8


def test_the_default_noise_reading_is_the_paper_s_every_device_activation():
    from partialload_opt.qpart.instance import READINGS

    assert READINGS["noise"] == "weights+activations"
    doc = _set(DOC, ("readings",), None)
    assert qinstance_from_dict(doc).reading("noise") == "weights+activations"
    assert load_qinstance(TINY).reading("noise") == DOC["readings"]["noise"]  # a file keeps its own


def test_an_instance_says_what_it_is_in_one_line():
    assert repr(load_qinstance(TINY)) == (
        "QInstance('tiny-handmade', network 'tiny', L=2, 2 partitions, bits {2, 4, 8}, C_A=0.1)"
    )


def test_an_instances_html_escapes_and_shows_its_numbers():
    import dataclasses

    inst = dataclasses.replace(load_qinstance(TINY), name="a<b>", network_name="x & y")
    html = inst._repr_html_()
    assert "a<b>" not in html and "a&lt;b&gt;" in html and "x &amp; y: 2 layers" in html
    for fact in (">fc1<", ">fc2<", ">10<", ">3<", ">0, 1<", ">{2, 4, 8}<", ">0.1<"):
        assert fact in html, fact  # layers, parameters (4x2+2, 2x1+1), partitions, bits, C_A
