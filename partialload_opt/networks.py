"""The network catalogue both problems share: the ResNets of PartialLoading's model library (He et al.
2016, torchvision's layout) and QPART's fully connected classifiers, as layers with shapes, from which
the parameter count (PartialLoading's block sizes, QPART's w), the output activation size (QPART's a)
and the multiply-accumulates (QPART's o, eqs. (1)-(2) of the QPART paper) derive."""

from __future__ import annotations

from dataclasses import dataclass

RESNET_STAGES = {
    "resnet18": ("basic", (2, 2, 2, 2)),
    "resnet34": ("basic", (3, 4, 6, 3)),
    "resnet50": ("bottleneck", (3, 4, 6, 3)),
}


@dataclass(frozen=True)
class Layer:
    """One learnable layer: a convolution with its batch norm (weight and bias; running statistics are
    buffers), or a fully connected layer. ``in_hw`` is the input's height and width (convs);
    ``cut`` says whether the network is a chain after this layer (a partition point: not inside a
    residual block, whose skip tensor would have to be sent too)."""

    name: str
    kind: str  # "conv" | "linear"
    in_features: int  # input channels (conv) or inputs (linear)
    out_features: int  # output channels (conv) or outputs (linear)
    kernel: int = 1
    stride: int = 1
    in_hw: tuple[int, int] = (1, 1)
    batch_norm: bool = False
    cut: bool = True

    @property
    def out_hw(self) -> tuple[int, int]:
        """H_out x W_out: floor((H_in + 2 pad - K) / stride) + 1 with pad = K // 2 ("same" padding)."""
        if self.kind != "conv":
            return (1, 1)
        pad = self.kernel // 2  # torchvision's ResNets pad k // 2
        return tuple((x + 2 * pad - self.kernel) // self.stride + 1 for x in self.in_hw)  # type: ignore[return-value]

    @property
    def params(self) -> int:
        """w: weights + bias (linear; a convolution without batch norm, PyTorch's default bias) or
        conv weights + batch-norm weight and bias (the conv's own bias off, torchvision's layout)."""
        if self.kind == "linear":
            return self.in_features * self.out_features + self.out_features
        return self.in_features * self.out_features * self.kernel**2 + (
            2 * self.out_features if self.batch_norm else self.out_features
        )

    @property
    def activations(self) -> int:
        """a: elements of the layer's output."""
        h, w = self.out_hw
        return self.out_features * h * w

    @property
    def macs(self) -> int:
        """o: multiply-accumulates, n_in n_out (linear, eq. (1)) or C_in C_out K^2 H_out W_out (conv, eq. (2))."""
        if self.kind == "linear":
            return self.in_features * self.out_features
        h, w = self.out_hw
        return self.in_features * self.out_features * self.kernel**2 * h * w


def resnet(arch: str, num_classes: int = 1000, image: int = 224) -> list[Layer]:
    """The learnable layers of a ResNet in forward order (downsample convs right after their block's
    last conv); partition points only between residual blocks."""
    kind, blocks = RESNET_STAGES[arch]
    expansion = 1 if kind == "basic" else 4
    layers = [Layer("conv1", "conv", 3, 64, 7, 2, (image, image), True)]
    hw = tuple((x + 2 - 3) // 2 + 1 for x in layers[0].out_hw)  # the 3x3/2 max pool
    inplanes = 64
    for stage, (planes, n_blocks) in enumerate(zip((64, 128, 256, 512), blocks), start=1):
        for b in range(n_blocks):
            stride = 2 if (b == 0 and stage > 1) else 1
            convs = _block(f"layer{stage}.{b}", kind, inplanes, planes, stride, hw)
            layers += convs
            hw = convs[0].out_hw if kind == "basic" else convs[1].out_hw
            inplanes = planes * expansion
    layers.append(Layer("fc", "linear", 512 * expansion, num_classes))
    return layers


def _block(name: str, kind: str, inplanes: int, planes: int, stride: int, hw) -> list[Layer]:
    """One residual block's convs (a downsample conv where the shape changes); only its last layer
    is a partition point (cut): the block's output is a chain again."""
    expansion = 1 if kind == "basic" else 4

    def conv(suffix: str, cin: int, cout: int, kernel: int, step: int, at) -> Layer:
        return Layer(f"{name}.{suffix}", "conv", cin, cout, kernel, step, at, True, cut=False)

    if kind == "basic":
        convs = [conv("conv1", inplanes, planes, 3, stride, hw)]
        convs.append(conv("conv2", planes, planes, 3, 1, convs[0].out_hw))
    else:
        convs = [conv("conv1", inplanes, planes, 1, 1, hw)]
        convs.append(conv("conv2", planes, planes, 3, stride, hw))
        convs.append(conv("conv3", planes, planes * expansion, 1, 1, convs[1].out_hw))
    if stride != 1 or inplanes != planes * expansion:
        convs.append(conv("downsample", inplanes, planes * expansion, 1, stride, hw))
    last = convs[-1]
    convs[-1] = Layer(last.name, last.kind, last.in_features, last.out_features, last.kernel,
                      last.stride, last.in_hw, last.batch_norm, cut=True)  # fmt: skip
    return convs


def mlp(widths: tuple[int, ...] = (784, 512, 256, 128, 64, 32, 10)) -> list[Layer]:
    """A fully connected classifier: QPART's 6-layer MNIST network has lost widths; the default is the
    stand-in 784-512-256-128-64-32-10 (an assumption, formulations/qpart.md, "The ten assumptions")."""
    return [Layer(f"fc{n + 1}", "linear", a, b) for n, (a, b) in enumerate(zip(widths, widths[1:]))]
