"""A dossier of six invented articles about one invented event, for the browser tests: a wire story,
three outlets that reprint parts of it (lightly edited) around reporting of their own, the
operator's statement the wire quotes, and a radio report in its own words with no headline or
author. Every name, place, quote and figure is made up."""

from __future__ import annotations

import json
from pathlib import Path

WIRE = [
    "A rockfall blocked the Skarvik mountain railway on Tuesday morning, cutting the only rail link "
    "between the valley towns of Eastmere and Holtby.",
    "About four hundred tonnes of rock came down onto the track above the Gravsund tunnel shortly "
    "after six o'clock, the Skarvik Railway Authority said in a statement.",
    "No train was on the line at the time and nobody was injured, according to the authority.",
    "The first passenger train of the day, which leaves Eastmere at 6.40, was held at the station and "
    "its two hundred passengers were taken on by bus.",
    "Engineers will inspect the slope above the line by drone before any clearing work starts, the "
    "authority said.",
    "The line will reopen within two weeks, a spokesperson for the authority told Brightwater Wire.",
    "Replacement buses will run every thirty minutes between Eastmere and Holtby until then.",
]

ARTICLES = {
    "brightwater-wire": {
        "meta": {"title": "Rockfall blocks Skarvik mountain railway", "outlet": "Brightwater Wire Agency",
                 "author": None, "published": "2026-10-13", "role": "wire"},
        "paragraphs": WIRE,
    },
    "eastmere-star": {
        "meta": {"title": "Rockfall cuts Eastmere off from Holtby: commuters face weeks of replacement buses on the valley road",
                 "outlet": "The Eastmere Valley Morning Star and Holtby Advertiser",
                 "author": "Constance Arbuthnot-Wilberforce", "published": "2026-10-13"},
        "paragraphs": [
            WIRE[0],
            "About four hundred tonnes of rock came down onto the track above the Gravsund tunnel shortly "
            "after 6 am, the Skarvik Railway Authority said.",
            WIRE[2],
            "The first passenger train of the day, which leaves Eastmere at 6.40, was held at the station and "
            "its two hundred passengers were taken on by coach.",
            "Hotel owners in Holtby said the closure came in the middle of the autumn walking season. "
            "\u201cHalf of our guests arrive by train,\u201d said Margit Olsberg, who runs a guest house near "
            "Holtby station.",
            "The valley road between the two towns is narrow and closes to lorries when it snows.",
        ],
    },
    "kestrel-gazette": {
        "meta": {"title": "Skarvik line shut after rockfall above Gravsund tunnel", "outlet": "Kestrel Coast Gazette",
                 "author": "Ivo Lindqvist-Haraldsen", "published": "2026-10-14"},
        "paragraphs": [
            WIRE[0],
            WIRE[1],
            "Engineers will inspect the slope above the line by drone before any clearing work begins, the "
            "authority said.",
            WIRE[5],
            "Geologists at the regional survey office said the slope above the Gravsund tunnel had been "
            "monitored since a smaller rockfall three years ago.",
            "The survey office said the summer had been one of the wettest on record in the valley.",
        ],
    },
    "pinecrest-post": {
        "meta": {"title": "Analysis: how fragile is the Skarvik railway?", "outlet": "Pinecrest Evening Post",
                 "author": "Desmond O'Halloran", "published": "2026-10-15"},
        "paragraphs": [
            "A rockfall blocked the Skarvik mountain railway on Tuesday, cutting the only rail link between "
            "Eastmere and Holtby.",
            WIRE[3],
            WIRE[5],
            "Replacement buses will run every half hour between Eastmere and Holtby until then.",
            "The railway was built in 1911 and runs through eleven tunnels, most of them cut by hand.",
            "Its maintenance budget has been cut twice in the past five years, according to the authority's "
            "own annual reports.",
            "Railway engineers interviewed by the Post said that nets and rock anchors above the worst "
            "slopes would cost less than a year of replacement buses.",
        ],
    },
    "skarvik-railway-authority": {
        "meta": {"title": "Statement: rockfall above the Gravsund tunnel", "outlet": "Skarvik Railway Authority",
                 "author": None, "published": "2026-10-13", "role": "primary-source"},
        "paragraphs": [
            "At about 6.05 this morning approximately 400 tonnes of rock fell onto the track above the "
            "Gravsund tunnel.",
            "No train was on the line at the time and nobody was injured.",
            "The slope above the line will be inspected by drone before any clearing work starts.",
            "The line will reopen at the earliest in three weeks; we will publish a date once the inspection "
            "is complete.",
            "Replacement buses run every thirty minutes between Eastmere and Holtby.",
        ],
    },
    "upland-radio": {
        "meta": {"title": None, "outlet": "Upland Radio Newsroom", "author": None, "published": None},
        "paragraphs": [
            "Trains between Eastmere and Holtby are not running after rocks fell onto the line near the "
            "Gravsund tunnel early on Tuesday.",
            "Nobody was hurt.",
            "Passengers are asked to take the replacement buses, which leave every thirty minutes from "
            "the station forecourts.",
            "Listeners in Holtby told Upland Radio that the buses were full by seven o'clock.",
        ],
    },
}

DOSSIER = """\
title: The Skarvik rockfall (invented test dossier)
summary: Six invented reports of one invented rockfall, for the browser tests.
date: "2026-10-13"
language: en
verdicts:
  - {id: accurate, label: Accurate, rating: 5, description: The claim matches the sources.}
  - {id: misleading, label: Misleading, rating: 2, description: The claim distorts what the sources say.}
"""

ANNOTATIONS = """\
annotations:
  - id: reopening-date
    kind: correction
    target: {article: brightwater-wire, quote: "The line will reopen within two weeks"}
    claim: The line will reopen within two weeks.
    verdict: [misleading]
    correction: |
      The authority's written statement says the line will reopen "at the earliest in three weeks".
    checked: "2026-10-20"
    sources:
      - title: "Statement: rockfall above the Gravsund tunnel"
        publisher: Skarvik Railway Authority
        date: "2026-10-13"
        url: https://skarvik-railway.example/statements/gravsund-rockfall
  - id: wet-summer
    kind: context
    target: {article: kestrel-gazette, quote: "one of the wettest on record"}
    note: The regional weather office's summer summary ranks it the third wettest since 1950.
    sources:
      - title: "[Summer summary]"
        publisher: Regional weather office
        date: null
        note: original not seen; quoted in the Kestrel Coast Gazette's follow-up of 16 October
"""


def write(content: Path) -> Path:
    """Write the dossier into `content` (created); returns it."""
    (content / "articles").mkdir(parents=True)
    (content / "annotations").mkdir()
    (content / "dossier.yml").write_text(DOSSIER, encoding="utf-8")
    (content / "annotations/notes.yml").write_text(ANNOTATIONS, encoding="utf-8")
    for article_id, article in ARTICLES.items():
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False) if v else 'null'}"
                          for k, v in {**article["meta"], "language": "en"}.items())
        body = "\n\n".join(article["paragraphs"])
        (content / f"articles/{article_id}.md").write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return content
