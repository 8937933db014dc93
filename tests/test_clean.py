"""Stage 2: chrome is removed by rules, and every removed piece is recorded with its rule."""

from __future__ import annotations

from pathlib import Path

from dossier.clean import clean
from dossier.load import load

CHROME = {
    "report-000": {
        "1 comment\nLeave a Reply": "comment-counter",
        "Your email address will not be published. Required fields are marked *": "comment-form",
        "You May Also Like": "you-may-also-like",
        "The middle class that vanished": "you-may-also-like (what follows)",
        "The TB pandemic that nobody sees, but that kills millions a year": "you-may-also-like (what follows)",
    },
    "rmn-news": {
        "Putin to Trump: Let’s be Friends. Trump Agrees.": "headline",
        "Donald Trump\nDonald Trump": "photo-caption",
        "By Rakesh Raman": "byline",
        "[ Protests Intensify Against Donald Trump in America ]": "related-headline",
        "[ Trump Wins White House. But Can He Make America Great Again? ]": "related-headline",
        "[ Obama Allays Mexico’s Fears About Trump’s Wall ]": "related-headline",
        "Photo courtesy: Trump / Twitter": "photo-credit",
        "Support RMN News Service for Independent Fearless Journalism": "donation-appeal",
        "RMN News": "site-name",
        "Rakesh Raman": "repeated-byline",
    },
}


def test_seed_chrome_is_removed_with_its_rule(seed_dossier):
    for article in seed_dossier.articles:
        removed = {r.text: r.rule for r in article.removed}
        for text, rule in CHROME[article.id].items():
            assert removed.get(text) == rule, text
        kept = " ".join(p.text for p in article.paragraphs)
        for text in CHROME[article.id]:
            assert text not in kept


def test_donation_appeal_and_author_bio_are_not_passages(seed_dossier):
    texts = [p.text for p in seed_dossier.passages]
    assert not any("donate" in t or "award-winning" in t or "Leave a Reply" in t for t in texts)
    rmn = next(a for a in seed_dossier.articles if a.id == "rmn-news")
    assert any(r.rule == "author-bio" and "award-winning" in r.text for r in rmn.removed)
    assert any(r.rule == "donation-appeal (what follows)" and "donate" in r.text for r in rmn.removed)


def test_nothing_disappears_silently(seed_dossier):
    """Every paragraph of the saved text is either kept or recorded as removed."""
    articles = load(Path(seed_dossier.content_dir)).articles
    for original, cleaned in zip(articles, seed_dossier.articles):
        kept = [p.text for p in cleaned.paragraphs]
        removed = [r.text for r in cleaned.removed]
        assert sorted(kept + removed) == sorted(p.text for p in original.paragraphs)


def test_byline_becomes_metadata_only_where_unknown(fixture_dossier):
    fixture_dossier.write("cleaning.yml", """
        rules:
          - name: byline
            pattern: 'By (?P<author>[A-Z]\\w+ [A-Z]\\w+)'
            metadata: author
        """)
    fixture_dossier.article("a", "By Jane Roe\n\nThe text itself.", author=None)
    fixture_dossier.article("b", "By Jane Roe\n\nThe text itself.", author="John Doe")
    c = load(fixture_dossier.content)
    articles, rules = c.articles, c.cleaning
    a, b = (clean(article, rules) for article in articles)
    assert a.meta.author == "Jane Roe" and a.meta_found == (("author", "Jane Roe"),)
    assert b.meta.author == "John Doe"
    assert [p.text for p in a.paragraphs] == ["The text itself."]


def test_placeholder_rule_does_not_apply_when_metadata_unknown(fixture_dossier):
    fixture_dossier.write("cleaning.yml", "rules:\n  - name: headline\n    pattern: '{{title}}'\n")
    fixture_dossier.article("a", "Headline (with regex chars?)\n\nBody.", title="Headline (with regex chars?)")
    fixture_dossier.article("b", "Headline\n\nBody.", title=None)
    c = load(fixture_dossier.content)
    articles, rules = c.articles, c.cleaning
    a, b = (clean(article, rules) for article in articles)
    assert [r.rule for r in a.removed] == ["headline"]
    assert b.removed == () and len(b.paragraphs) == 2


def test_article_rules_come_before_shared_rules(fixture_dossier):
    fixture_dossier.write("cleaning.yml", "rules:\n  - name: shared\n    pattern: 'Ad: .*'\n")
    fixture_dossier.write("articles/a.md", "---\ntitle: T\noutlet: O\ncleaning:\n  - name: own\n"
                          "    pattern: 'Ad: buy'\n---\nAd: buy\n\nAd: sell\n\nNews.\n")
    c = load(fixture_dossier.content)
    (article,), rules = c.articles, c.cleaning
    cleaned = clean(article, rules)
    assert [(r.text, r.rule) for r in cleaned.removed] == [("Ad: buy", "own"), ("Ad: sell", "shared")]


def test_an_article_the_cleaning_empties_is_warned_about(fixture_dossier):
    """A rule that matches too much (`rest: true` on the first paragraph) left an article with no
    passage, and nothing said so: it was built, compared with nothing, without a warning."""
    from dossier.pipeline import run

    fixture_dossier.article("kept", "The ministers agreed on a new fisheries treaty.")
    fixture_dossier.article("emptied", "Related stories: the ministers agreed on a new fisheries treaty.\n\nMore text.",
                            cleaning=[{"name": "related", "pattern": "Related stories:.*", "rest": True}])
    warnings = run(fixture_dossier.content).warnings
    assert warnings == ("content/articles/emptied.md:6: the cleaning removed every paragraph of 'emptied' "
                        "(rules: related, related (what follows)); nothing of it is compared "
                        "(see the removed text at the foot of its page)",)


def test_a_rule_that_backtracks_without_end_is_named_not_waited_for(monkeypatch):
    """`(a+)+$` on forty a's and a full stop takes years: `check` and the build once hung on it
    without a word. The matching is ended after SECONDS_PER_ARTICLE, naming the rule and paragraph."""
    import signal
    import time

    import pytest

    from dossier import clean as clean_module
    from dossier.errors import DossierError
    from dossier.model import Article, ArticleMeta, CleaningRule, Paragraph

    monkeypatch.setattr(clean_module, "SECONDS_PER_ARTICLE", 0.5)
    rules = (CleaningRule(name="greedy", pattern="(a+)+$", file="content/cleaning.yml", line=3),)
    article = Article("x", "content/articles/x.md", ArticleMeta("T", "O"),
                      (Paragraph("Fine text.", 5), Paragraph("a" * 40 + ".", 7)))
    started = time.perf_counter()
    with pytest.raises(DossierError) as info:
        clean(article, rules)
    assert time.perf_counter() - started < 5
    assert str(info.value) == ("content/cleaning.yml:3: rule 'greedy' took more than 0.5 s on the paragraph at "
                               "content/articles/x.md:7 (its pattern backtracks without end on that text: nested "
                               "repeats such as (a+)+ or (\\w+\\s?)* are the usual cause)")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert [p.text for p in clean(article, ()).paragraphs] == ["Fine text.", "a" * 40 + "."], "no limit left behind"
