"""Whether a candidate pair links: a logistic regression over what the scorer and the explanation
measure, fitted on real labelled pairs (`bench/fit_link_model.py` writes `link_model.json`).

The candidates come from the vectorised scorer (scoring.CANDIDATE_WHOLE, CANDIDATE_PARTIAL); a
pair whose spans carry no fact (`explain.carried_fact`) never reaches the model. The weights are
data, so they can be read, compared between versions and refitted without touching code.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .explain import shared_tokens
from .tokens import Token

MODEL_FILE = Path(__file__).with_name("link_model.json")
FEATURES = ("whole", "partial", "telling_words", "telling_cover", "name_share", "quote", "figure",
            "length_ratio", "cross")


@dataclass(frozen=True)
class LinkModel:
    version: str
    coefficients: tuple[float, ...]  # one per FEATURES name, in that order
    intercept: float
    threshold: float  # probability from which a pair links

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(c * features[name] for c, name in zip(self.coefficients, FEATURES))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def links(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


ACCEPT_ALL = LinkModel("accept-all", (0.0,) * len(FEATURES), 0.0, 0.0)  # for collecting candidates to fit on


@lru_cache(maxsize=1)
def shipped_model() -> LinkModel:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    weights = data["coefficients"]
    return LinkModel(str(data["version"]), tuple(float(weights[name]) for name in FEATURES),
                     float(data["intercept"]), float(data["threshold"]))


MODEL: list[LinkModel] = []  # set by a fitting script (ACCEPT_ALL); empty: the shipped model


def model() -> LinkModel:
    return MODEL[0] if MODEL else shipped_model()


def link_features(left: tuple[Token, ...], right: tuple[Token, ...], whole: float, partial: float,
                  carries: str, cross: bool) -> dict[str, float]:
    """The model's inputs for one pair: `left`, `right`: each side's matched tokens (the clauses
    that matched, or the whole passages); whole and partial scores from `scoring.score`; what
    the shared spans carry (`explain.carried_fact`); whether the pair crosses languages."""
    on_left, _ = shared_tokens(left, right)
    telling = {t.stem: t.weight for t in on_left if t.kind == "word"}
    telling_left = sum(t.weight for t in left if t.kind == "word")
    telling_right = sum(t.weight for t in right if t.kind == "word")
    shared_weight = sum(t.weight for t in on_left) or 1.0
    named = sum(t.weight for t in on_left if t.kind in ("name", "date"))
    words_left, words_right = len({t.start for t in left}), len({t.start for t in right})
    return {"whole": whole, "partial": partial, "telling_words": math.log1p(len(telling)),
            "telling_cover": min(1.0, sum(telling.values()) / max(min(telling_left, telling_right), 1e-9)),
            "name_share": named / shared_weight, "quote": float(carries == "quote"),
            "figure": float(carries == "figure"),
            "length_ratio": min(words_left, words_right) / max(words_left, words_right, 1), "cross": float(cross)}
