"""The text graph OpenCV's dnn module needs to run a TensorFlow Object Detection API SSD.

A frozen SSD graph (`frozen_inference_graph.pb`) holds the network and TensorFlow's own pre- and
post-processing (loops, tensor arrays, non-maximum suppression) that OpenCV cannot run. OpenCV
reads such a model with a text graph beside it that keeps the network's layers and puts its own
layers where TensorFlow's post-processing was: PriorBox (the anchors) and DetectionOutput (box
decoding and NMS). OpenCV's samples/dnn/tf_text_graph_ssd.py makes that text graph from the
model's training config; this module does the same for the SSD layouts we ship (a convolutional
box predictor, `ssd_anchor_generator` anchors, a Faster R-CNN box coder), read from
`SsdLayout` instead of a config file, with no TensorFlow needed: the graph's structure comes from
`cv2.dnn.writeTextGraph`.

Nodes are handled as text blocks: only their name, op and inputs are parsed; every other field
(attributes) is kept as written, so nothing here has to understand protobuf's text format.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from dataclasses import dataclass, field

import cv2

# ops of the network body that OpenCV imports; everything else (TensorFlow's pre/post-processing,
# shape arithmetic, constants whose values OpenCV reads from the .pb) is dropped
KEEP_OPS = frozenset(
    {
        "Conv2D",
        "BiasAdd",
        "Add",
        "AddV2",
        "Relu",
        "Relu6",
        "Placeholder",
        "FusedBatchNorm",
        "FusedBatchNormV3",
        "DepthwiseConv2dNative",
        "ConcatV2",
        "Mul",
        "Sub",
        "MaxPool",
        "AvgPool",
        "Pad",
        "Mean",
    }
)
DROP_PREFIXES = ("MultipleGridAnchorGenerator/", "Concatenate/", "Postprocessor/", "Preprocessor/map")


@dataclass(frozen=True)
class SsdLayout:
    """What the model's training config says about its head (pipeline.config's `ssd` block)."""

    num_classes: int
    image_size: int = 300
    num_layers: int = 6
    min_scale: float = 0.2
    max_scale: float = 0.95
    aspect_ratios: tuple[float, ...] = (1.0, 2.0, 0.5, 3.0, 0.3333)
    reduce_boxes_in_lowest_layer: bool = True
    box_coder_scales: tuple[float, float, float, float] = (10.0, 10.0, 5.0, 5.0)  # y, x, h, w
    nms_iou: float = 0.6
    score_threshold: float = 0.01  # OpenCV returns boxes above this; callers pick their own
    max_detections: int = 100

    def anchors(self, layer: int) -> tuple[list[float], list[float]]:
        """Anchor widths and heights in pixels for one feature layer (ssd_anchor_generator)."""
        n = self.num_layers
        scales = [self.min_scale + (self.max_scale - self.min_scale) * i / (n - 1) for i in range(n)] + [1.0]
        if layer == 0 and self.reduce_boxes_in_lowest_layer:
            s = self.min_scale
            widths = [0.1, s * math.sqrt(2.0), s * math.sqrt(0.5)]
            heights = [0.1, s / math.sqrt(2.0), s / math.sqrt(0.5)]
        else:
            s, s_next = scales[layer], scales[layer + 1]
            widths = [s * math.sqrt(ar) for ar in self.aspect_ratios] + [math.sqrt(s * s_next)]
            heights = [s / math.sqrt(ar) for ar in self.aspect_ratios] + [math.sqrt(s * s_next)]
        return [w * self.image_size for w in widths], [h * self.image_size for h in heights]


@dataclass
class Node:
    name: str
    op: str
    inputs: list[str]
    attrs: list[str] = field(default_factory=list)  # each an `attr { ... }` block, as text

    def text(self) -> str:
        lines = ["node {", f'  name: "{self.name}"', f'  op: "{self.op}"']
        lines += [f'  input: "{i}"' for i in self.inputs]
        lines += ["  " + a for a in self.attrs]
        lines.append("}")
        return "\n".join(lines)


def _attr(key: str, value: str) -> str:
    return f'attr {{ key: "{key}" value {{ {value} }} }}'


def _tensor(values: list[float] | list[int]) -> str:
    if all(isinstance(v, int) for v in values):
        dtype, fld = "DT_INT32", "int_val"
    else:
        dtype, fld = "DT_FLOAT", "float_val"
    vals = " ".join(f"{fld}: {v!r}" for v in values)
    return f"tensor {{ dtype: {dtype} tensor_shape {{ dim {{ size: {len(values)} }} }} {vals} }}"


def _blocks(text: str) -> list[str]:
    """The top-level `node { ... }` blocks of a text graph (braces inside strings do not occur
    in node names or the attributes writeTextGraph prints)."""
    blocks, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]", text):
        if m.group() == "{":
            if depth == 0:
                start = m.end()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                blocks.append(text[start : m.start()])
    return blocks


def _parse(block: str) -> Node:
    name = op = ""
    inputs: list[str] = []
    attrs: list[str] = []
    depth, i, lines = 0, 0, block.splitlines()
    while i < len(lines):
        line = lines[i].strip()
        if depth == 0 and line.startswith("name:"):
            name = line.split('"')[1]
        elif depth == 0 and line.startswith("op:"):
            op = line.split('"')[1]
        elif depth == 0 and line.startswith("input:"):
            inputs.append(line.split('"')[1])
        elif depth == 0 and line.startswith("attr"):
            chunk = [line]
            d = line.count("{") - line.count("}")
            while d > 0:
                i += 1
                chunk.append(lines[i].strip())
                d += lines[i].count("{") - lines[i].count("}")
            attrs.append(" ".join(chunk))
        i += 1
    return Node(name, op, inputs, attrs)


def _raw_nodes(model_path: str) -> list[Node]:
    fd, path = tempfile.mkstemp(suffix=".pbtxt")
    os.close(fd)
    try:
        cv2.dnn.writeTextGraph(model_path, path)
        with open(path, encoding="utf-8") as f:
            return [_parse(b) for b in _blocks(f.read())]
    finally:
        os.unlink(path)


def text_graph(model_path: str, layout: SsdLayout) -> str:
    """The text graph for `model_path` as OpenCV's readNetFromTensorflow wants it."""
    nodes = _raw_nodes(model_path)
    # Identity nodes pass their input on: wire their consumers to that input
    identity = {n.name: n.inputs[0] for n in nodes if n.op == "Identity"}
    nodes = [n for n in nodes if n.op != "Identity"]

    def through(name: str) -> str:
        while name in identity:  # Identity of an Identity ...
            name = identity[name]
        return name

    for n in nodes:
        n.inputs = [through(i) for i in n.inputs]
    removed = {n.name for n in nodes if n.op != "Const" and (n.op not in KEEP_OPS or n.name.startswith(DROP_PREFIXES))}
    nodes = [n for n in nodes if n.op != "Const" and n.name not in removed]
    for n in nodes:
        n.inputs = [i for i in n.inputs if i not in removed]
        n.attrs = [a for a in n.attrs if not re.match(r'attr \{ key: "(T|Tshape|N|Tidx|Tdim|use_cudnn_on_gpu)"', a)]
    if not nodes or nodes[0].op != "Placeholder":
        raise ValueError(f"{model_path}: not an SSD graph (its first node is not the image input)")
    image = nodes[0]
    # the first layer reads the image directly (TensorFlow resized it in a loop OpenCV drops)
    first = nodes[1]
    first.inputs = [image.name, first.inputs[-1]]

    head: list[Node] = [
        Node("concat/axis_flatten", "Const", [], [_attr("value", _tensor([-1]))]),
    ]
    for label in ("ClassPredictor", "BoxEncodingPredictor"):
        flats = []
        for i in range(layout.num_layers):
            src = f"BoxPredictor_{i}/{label}/BiasAdd"
            head.append(Node(src + "/Flatten", "Flatten", [src]))
            flats.append(src + "/Flatten")
        head.append(Node(f"{label}/concat", "ConcatV2", flats + ["concat/axis_flatten"]))
    located = 0
    for n in nodes:
        if re.match(r"BoxPredictor_\d/BoxEncodingPredictor/(Conv2D|convolution)$", n.name):
            n.attrs.append(_attr("loc_pred_transposed", "b: true"))
            located += 1
    if located != layout.num_layers:
        raise ValueError(f"{model_path}: found {located} box predictors, the layout says {layout.num_layers}")
    variance = [1.0 / s for s in layout.box_coder_scales]
    priors = []
    for i in range(layout.num_layers):
        widths, heights = layout.anchors(i)
        head.append(
            Node(
                f"PriorBox_{i}",
                "PriorBox",
                [f"BoxPredictor_{i}/BoxEncodingPredictor/BiasAdd", image.name],
                [
                    _attr("clip", "b: false"),
                    _attr("flip", "b: false"),
                    _attr("height", _tensor(heights)),
                    _attr("variance", _tensor(variance)),
                    _attr("width", _tensor(widths)),
                ],
            )
        )
        priors.append(f"PriorBox_{i}")
    head += [
        Node("PriorBox/concat", "ConcatV2", priors + ["concat/axis_flatten"]),
        Node("ClassPredictor/concat3d/shape", "Const", [], [_attr("value", _tensor([0, -1, layout.num_classes + 1]))]),
        Node("ClassPredictor/concat3d", "Reshape", ["ClassPredictor/concat", "ClassPredictor/concat3d/shape"]),
        Node("ClassPredictor/concat/sigmoid", "Sigmoid", ["ClassPredictor/concat3d"]),
        Node("ClassPredictor/concat/sigmoid/Flatten", "Flatten", ["ClassPredictor/concat/sigmoid"]),
        Node(
            "detection_out",
            "DetectionOutput",
            ["BoxEncodingPredictor/concat", "ClassPredictor/concat/sigmoid/Flatten", "PriorBox/concat"],
            [
                _attr("background_label_id", "i: 0"),
                _attr("code_type", 's: "CENTER_SIZE"'),
                _attr("confidence_threshold", f"f: {layout.score_threshold!r}"),
                _attr("keep_top_k", f"i: {layout.max_detections}"),
                _attr("nms_threshold", f"f: {layout.nms_iou!r}"),
                _attr("num_classes", f"i: {layout.num_classes + 1}"),
                _attr("share_location", "b: true"),
                _attr("top_k", f"i: {layout.max_detections}"),
            ],
        ),
    ]
    nodes += head
    # drop what no longer leads anywhere (TensorFlow's reshapes of the predictions, ...)
    while True:
        used = {i for n in nodes for i in n.inputs}
        dangling = {n.name for n in nodes if n.name not in used and n.name != "detection_out"}
        if not dangling:
            break
        nodes = [n for n in nodes if n.name not in dangling]
    return "\n".join(n.text() for n in nodes) + "\n"
