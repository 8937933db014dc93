"""The generated dossier shapes the build and serve benches take (--kind)."""

from __future__ import annotations

KINDS = {
    "wire": "bench/wire.py: 120 wire sentences, 40 per copy, a quarter own reporting (groups of ~250)",
    "wire34": "bench/wire.py generate_seed_wire: the seed's 35 sentences, ~34 per article (groups of ~950)",
    "sparse": "bench/synthetic.py: many events, paraphrases, no copies",
    "story": "bench/story.py: one story told by many outlets, in part and in their own words",
}


def generate(kind: str, size: int):
    """A bench.synthetic.Synthetic of `size` articles of the named shape."""
    from bench import story, synthetic, wire

    if kind == "wire":
        return wire.generate(size)
    if kind == "wire34":
        return wire.generate_seed_wire(size)
    if kind == "sparse":
        return synthetic.generate(size)
    if kind == "story":
        return story.generate(size)
    raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
