"""Write the handmade instances (instances/handmade/); their optima are worked out in README.md there."""

from pathlib import Path

from partialload_opt.partialloading.instance import (
    Block,
    Instance,
    LoadRates,
    Model,
    User,
    save_instance,
)

OUT = Path(__file__).resolve().parents[1] / "instances" / "handmade"
LOAD = LoadRates(2e6, 2e6)  # V(S) = S / 1e6 s: 1000 bytes load in 1 ms
B = 1e6  # p_k / B: D_k = 1000 bits at R_k = 1 uploads in 1 ms


def user(uid, model, ms):
    return User(uid, model, 1000.0 * ms, 1.0)


def h1():
    m = Model("M", ("x",), 0.001, 0.002, 400.0, 300.0)  # Q = 1000: b_max = 2
    return Instance(
        "h1-batching",
        0.015,
        0.004,
        B,
        1000.0,
        LOAD,
        (Block("x", 2000.0),),
        (m,),
        (user("u1", "M", 1), user("u2", "M", 2), user("u3", "M", 3)),
        {"handmade": True},
    )


def h2():
    m = Model("M", ("x",), 0.0, 0.0, 400.0, 300.0)
    return Instance(
        "h2-eq16-sum-vs-max",
        0.0045,
        0.0005,
        B,
        1000.0,
        LOAD,
        (Block("x", 1000.0),),
        (m,),
        (user("u1", "M", 1), user("u2", "M", 3)),
        {"handmade": True},
    )


def h3():
    blocks = (
        Block("alpha", 4000.0),
        Block("beta", 2000.0),
        Block("a", 1000.0),
        Block("b", 1000.0),
        Block("c", 3000.0),
    )
    models = (
        Model("A", ("alpha", "a"), 0.0, 0.001, 400.0, 300.0),
        Model("B", ("alpha", "beta", "b"), 0.0, 0.001, 400.0, 300.0),
        Model("C", ("c",), 0.0, 0.001, 400.0, 300.0),
    )
    return Instance(
        "h3-abc",
        0.017,
        0.001,
        B,
        1000.0,
        LOAD,
        blocks,
        models,
        (user("uA", "A", 1), user("uB", "B", 1), user("uC", "C", 1)),
        {"handmade": True},
    )


def h4():
    blocks = (
        Block("w1", 4000.0),
        Block("w2", 2000.0),
        Block("x", 1000.0),
        Block("y", 1000.0),
        Block("z", 1000.0),
    )
    models = (
        Model("Y", ("w1", "w2", "y"), 0.0, 0.0, 400.0, 300.0),
        Model("X", ("w1", "x"), 0.0, 0.0, 400.0, 300.0),
        Model("Z", ("w1", "w2", "z"), 0.0, 0.0, 400.0, 300.0),
    )
    return Instance(
        "h4-ascending-l",
        0.012,
        0.001,
        B,
        1000.0,
        LOAD,
        blocks,
        models,
        (user("uY", "Y", 1), user("uX", "X", 1), user("uZ", "Z", 1)),
        {"handmade": True},
    )


if __name__ == "__main__":
    for f in (h1, h2, h3, h4):
        inst = f()
        save_instance(inst, OUT / f"{inst.name}.json")
