"""SSIM reference values from scikit-image (structural_similarity, its defaults: 7x7 uniform window, K1 0.01,
K2 0.03, sample covariance, border cropped) for the tfjs SSIM in src/models/conv-vae/ssim.ts.

  python3 libs/vision/scripts/make_ssim_fixtures.py   # writes libs/vision/fixtures/ssim.json
"""
import json
import os

import numpy as np
from skimage.metrics import structural_similarity

rng = np.random.default_rng(5)
cases = []
for height, width, noise in [(16, 16, 0.05), (24, 20, 0.3), (32, 32, 0.0), (12, 28, 1.0)]:
    yy, xx = np.mgrid[0:height, 0:width]
    a = 0.5 + 0.4 * np.sin(xx / 3.0) * np.cos(yy / 5.0)
    b = np.clip(a + noise * rng.standard_normal(a.shape), 0, 1)
    a, b = a.round(5), b.round(5)
    value = structural_similarity(a, b, data_range=1.0)
    cases.append({'height': height, 'width': width, 'a': a.ravel().tolist(), 'b': b.ravel().tolist(), 'ssim': float(value)})

out = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'ssim.json')
with open(out, 'w') as f:
    json.dump({'skimage': __import__('skimage').__version__, 'cases': cases}, f)
