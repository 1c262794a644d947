"""The combiner's fitted constants, as printed by `benchmarks/fit_qe.py fit` (see its docstring for the data).

FULL reads the LLM likelihoods of `estimate.QE_MODEL`; CHEAP the deterministic evidence alone.
Refitting changes VERSION, which every QE signature carries.
"""
from __future__ import annotations

from pipeline.quality.combine import Combiner

VERSION = "1"

FULL = Combiner(name='full', features=('forward', 'backward', 'similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length'), means=(-1.122636, -2.82226, 0.823406, -0.677933, 0.0, 0.0, -4.081686), scales=(0.355557, 0.358063, 0.032316, 0.475526, 1.0, 1.0, 0.785849), weights=(1.392717, 1.231447, 0.0, 0.0, 0.0, 0.0, 3.86475), bias=-4.67, slope=0.322839, offset=2.493813)

CHEAP = Combiner(name='cheap', features=('similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length'), means=(0.765009, -0.569295, -0.004678, -0.00039, -3.327174), scales=(0.070601, 0.466585, 0.08364, 0.019741, 0.635977), weights=(0.384844, 0.101692, 0.052494, 0.0, 1.408481), bias=-2.563899, slope=0.419559, offset=1.997417)
