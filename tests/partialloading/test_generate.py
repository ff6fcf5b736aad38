"""The paper's generator: real ResNet sizes, determinism, theta, plausible rates."""

from __future__ import annotations

import numpy as np
import pytest

from partialload_opt.partialloading.generate import (
    GeneratorConfig,
    SmallConfig,
    generate,
    rates,
    realized_theta,
    resnet_layers,
    small_instance,
)


@pytest.mark.parametrize(
    "arch,params", [("resnet18", 11_689_512), ("resnet34", 21_797_672), ("resnet50", 25_557_032)]
)
def test_resnet_parameter_counts_equal_the_published_ones(arch, params):
    assert sum(c for _, c in resnet_layers(arch, 1000)) == params


def test_same_seed_same_instance_other_seed_other_channels():
    a = generate(GeneratorConfig(seed=3, users=30))
    b = generate(GeneratorConfig(seed=3, users=30))
    c = generate(GeneratorConfig(seed=4, users=30))
    assert a.to_dict() == b.to_dict()
    assert a.p.tolist() != c.p.tolist()


@pytest.mark.parametrize("case", ["bls", "general"])
@pytest.mark.parametrize("theta", [0.75, 0.85, 0.9])
def test_theta_is_realized_on_average(case, theta):
    """Mean over 5 seeds of the per-model shared-layer ratio within 0.02 of theta."""
    got = np.mean(
        [
            realized_theta(generate(GeneratorConfig(case=case, theta=theta, seed=s, users=5)))
            for s in range(5)
        ]
    )
    assert abs(got - theta) < 0.02


def test_bls_case_is_bls_with_three_clusters_and_general_is_not():
    bls = generate(GeneratorConfig(case="bls"))
    assert bls.is_bls and len(bls.clusters) == 3 and bls.I == 50
    gen = generate(GeneratorConfig(case="general"))
    assert gen.I == 25 and not gen.is_bls


def test_rates_are_plausible():
    cfg = GeneratorConfig()
    d = np.array([250.0, 100.0, 10.0])
    r = rates(cfg, d, np.ones(3))
    # at the cell edge with unit fading: SNR = 5e-9 * 250^-4 / 10^-20.4 = 321.7 -> 8.33 bit/s/Hz
    assert r[0] == pytest.approx(np.log2(1 + 5e-9 * 250.0**-4 / 10 ** (-20.4)))
    assert 8 < r[0] < r[1] < r[2] < 40
    inst = generate(GeneratorConfig(seed=1))
    assert 0 < np.median([u.spectral_efficiency for u in inst.users]) < 30
    assert inst.users[0].data_bits == 128 * 128 * 3 * 8


def test_small_instances_are_deterministic():
    assert (
        small_instance(SmallConfig(seed=5)).to_dict()
        == small_instance(SmallConfig(seed=5)).to_dict()
    )


def test_shipped_profiles_are_package_data_reachable_by_name():
    from partialload_opt.partialloading.generate import load_profile, shipped_profiles

    assert shipped_profiles() == ["rtx4090-pagecache-pcie4", "rtx4090-sata3-cold-pcie4"]
    assert load_profile(None) == load_profile("rtx4090-pagecache-pcie4")
    assert load_profile("rtx4090-sata3-cold-pcie4")["disk_Bps"] < load_profile(None)["disk_Bps"]


def test_settings_are_parsed_as_their_field_s_type_optional_ones_included():
    import pytest

    from partialload_opt.errors import InputError
    from partialload_opt.partialloading.generate import GeneratorConfig, with_settings

    cfg = with_settings(
        GeneratorConfig(library_seed=1, models=7),
        [
            "library_seed=none",
            "models=None",
            "theta=0.8",
            "users=12",
            "architectures=resnet18, resnet50",
            "profile=rtx4090-sata3-cold-pcie4",
        ],
    )
    assert cfg.library_seed is None and cfg.models is None and cfg.theta == 0.8 and cfg.users == 12
    assert (
        cfg.architectures == ("resnet18", "resnet50") and cfg.profile == "rtx4090-sata3-cold-pcie4"
    )
    assert with_settings(cfg, ["library_seed=3"]).library_seed == 3
    with pytest.raises(InputError, match="library_seed cannot parse 'x' as int | None"):
        with_settings(cfg, ["library_seed=x"])
    with pytest.raises(InputError, match="users cannot parse 'none' as int"):
        with_settings(cfg, ["users=none"])
    with pytest.raises(InputError, match="must be NAME=VALUE"):
        with_settings(cfg, ["users"])


def test_general_means_general_in_the_verification_generator_and_both_is_balanced():
    """Issue 30: `verify --case general` gave 24 BLS instances of 30."""
    from collections import Counter

    from partialload_opt.partialloading.generate import generated, sharing_class

    general = list(generated(60, "general", seed=1))
    assert all(not inst.is_bls for inst in general)
    assert all(inst.meta["sharing"] == sharing_class(inst) for inst in general)
    both = Counter(not inst.is_bls for inst in generated(60, "both", seed=1))
    assert both[True] == both[False] == 30


def test_the_paper_generator_records_the_sharing_and_draws_general_again_where_it_can():
    from partialload_opt.partialloading.generate import GeneratorConfig, generate

    for seed in range(5):
        inst = generate(GeneratorConfig(case="general", users=30, models=9, seed=seed))
        assert not inst.is_bls and inst.meta["sharing"] in ("nested", "general")
        # Fig. 9's I = 5: at most two models per architecture, nested by construction (recorded)
        five = generate(GeneratorConfig(case="general", users=20, models=5, seed=seed))
        assert five.meta["sharing"] == "bls"
