"""The combiner's fitted constants, as `benchmarks/fit_qe.py fit` prints them.

Fitted on expert MQM scores of Chinese-English TED talks 2 and 5 (../shared/eval/qe/mqm_ted_zhen.dev.tsv, 15
systems; talk 6 held out to check). FULL, one per scoring model, on the fit-talk source segments whose
likelihoods were collected: 22 (330 translations) for the 0.5B model, 16 (240) for the 1.5B one, forward
direction only; CHEAP on all 2,565 fit-talk translations. The *_CONSENSUS ones add the consensus of the 15
systems' translations of each source (`quality.consensus`), on the same segments.
Wrong-language words and number mismatches, too rare there to fit, weigh one major error (5) each.
Refitting changes VERSION, which every QE signature carries; so does a change in what a feature measures
(2: source_length counts a non-Chinese source in Chinese characters' worth, the fit data's unit), or in what
gets flagged (3: a low score owed to length alone is no longer flagged).
"""
from __future__ import annotations

from pipeline.quality.combine import Combiner

VERSION = "3"

FULL_05B = Combiner(
    name='full:qwen2.5-coder-0.5b-instruct',
    features=('forward', 'forward_surprise', 'similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length'),
    means=(-1.098878, -7.1383, 0.780909, -0.38965, 0.0, 0.0, -3.461157),
    scales=(0.50119, 9.006763, 0.061832, 0.300474, 1.0, 1.0, 0.720183),
    weights=(0.0, 1.646546, 0.10685, 0.41922, 5.0, 5.0, 0.91645),
    bias=-2.811212,
    slope=0.323529,
    offset=1.984581,
)

CHEAP = Combiner(
    name='cheap',
    features=('similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length'),
    means=(0.765009, -0.380951, 0.0, 0.0, -3.327174),
    scales=(0.070601, 0.286089, 1.0, 1.0, 0.635977),
    weights=(0.369342, 0.059272, 5.0, 5.0, 1.377817),
    bias=-2.561949,
    slope=0.424007,
    offset=2.008818,
)

FULL_15B = Combiner(
    name='full:qwen2.5-coder-1.5b-instruct',
    features=('forward', 'forward_surprise', 'similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length'),
    means=(-0.778955, -4.634666, 0.780945, -0.370015, 0.0, 0.0, -3.45413),
    scales=(0.488843, 6.907197, 0.065716, 0.296648, 1.0, 1.0, 0.733438),
    weights=(0.0, 1.92528, 0.084757, 0.244932, 5.0, 5.0, 0.918035),
    bias=-2.800833,
    slope=0.334728,
    offset=2.028544,
)

FULL = {"qwen2.5-coder-0.5b-instruct": FULL_05B,  # by the model whose likelihoods a combiner reads
        "qwen2.5-coder-1.5b-instruct": FULL_15B}

# With the consensus of the other translations of the same source (`quality.consensus`): only where several
# translations of one source are scored together (candidates, systems), never for a digest's lone sentence.
CHEAP_CONSENSUS = Combiner(
    name='cheap+consensus',
    features=('similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length', 'chrf_consensus', 'embedding_consensus'),
    means=(0.765009, -0.380951, 0.0, 0.0, -3.327174, 0.740239, 0.919616),
    scales=(0.070601, 0.286089, 1.0, 1.0, 0.635977, 0.130954, 0.068864),
    weights=(0.0, 0.0, 5.0, 5.0, 1.239381, 0.821227, 0.266079),
    bias=-2.556101,
    slope=0.492849,
    offset=2.242452,
)

FULL_05B_CONSENSUS = Combiner(
    name='full:qwen2.5-coder-0.5b-instruct+consensus',
    features=('forward', 'forward_surprise', 'similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length', 'chrf_consensus', 'embedding_consensus'),
    means=(-1.098878, -7.1383, 0.780909, -0.38965, 0.0, 0.0, -3.461157, 0.746665, 0.931249),
    scales=(0.50119, 9.006763, 0.061832, 0.300474, 1.0, 1.0, 0.720183, 0.131569, 0.065855),
    weights=(0.0, 1.425225, 0.0, 0.394821, 5.0, 5.0, 1.046504, 0.162158, 0.359297),
    bias=-2.811212,
    slope=0.34786,
    offset=2.071155,
)

FULL_15B_CONSENSUS = Combiner(
    name='full:qwen2.5-coder-1.5b-instruct+consensus',
    features=('forward', 'forward_surprise', 'similarity', 'length_ratio', 'wrong_language', 'numbers', 'source_length', 'chrf_consensus', 'embedding_consensus'),
    means=(-0.778955, -4.634666, 0.780945, -0.370015, 0.0, 0.0, -3.45413, 0.746684, 0.927317),
    scales=(0.488843, 6.907197, 0.065716, 0.296648, 1.0, 1.0, 0.733438, 0.138215, 0.072888),
    weights=(0.0, 1.789097, 0.0, 0.215585, 5.0, 5.0, 1.025697, 0.0295, 0.341387),
    bias=-2.800833,
    slope=0.348898,
    offset=2.081024,
)

FULL_CONSENSUS = {"qwen2.5-coder-0.5b-instruct": FULL_05B_CONSENSUS, "qwen2.5-coder-1.5b-instruct": FULL_15B_CONSENSUS}
