"""What the article pages show about languages (a mixin of render.Views): each article's language
and whether it was compared, translations, machine glosses of passages in another language, and
what a cross-language link matched, in both languages."""

from __future__ import annotations

from .align.crosslang import comparable
from .align.gloss import glosser
from .languages import ArticleLanguage, language_name
from .model import Link, Passage, display_name


class LanguageViews:
    def _init_languages(self) -> None:
        self.language_records: dict[str, ArticleLanguage] = {r.article: r for r in self.dossier.languages}
        self.translated_from: dict[str, str] = {}  # article -> the article of this dossier it translates
        for a in self.dossier.articles:
            if a.meta.translated_from in self.articles and a.meta.translated_from != a.id:
                self.translated_from[a.id] = a.meta.translated_from
        self._glosses: dict[str, str | None] = {}
        self._batched: set[str] = set()  # languages whose passages Apertium translated in one batch

    def story_of(self, article_id: str) -> str:
        """The original an article translates (following a chain), or the article itself: a
        translation and its original are one story, not two outlets agreeing."""
        seen = {article_id}
        while article_id in self.translated_from and self.translated_from[article_id] not in seen:
            article_id = self.translated_from[article_id]
            seen.add(article_id)
        return article_id

    def language_rows(self, article_id: str) -> list[tuple[str, str, str | None]]:
        """Extra rows for the article's metadata: (term, text, link or None)."""
        rows = []
        record = self.language_records.get(article_id)
        if record and not record.given and record.detected:
            rows.append(("Language detected", f"{record.name} (no `language` in the front matter)", None))
        if record and record.note:
            rows.append(("Comparison", f"{record.note}: its passages are not linked to other articles", None))
        for pid, code in record.passages if record else ():
            label = self.passages[pid].label
            rows.append(("Quoted in another language", f"{label}: {language_name(code)}"
                         + ("" if comparable(code) else " (not compared: no resource)"), None))
        original = self.articles[article_id].meta.translated_from
        if original:
            if original in self.articles:
                rows.append(("Translation of", self.display(original), original))
            else:
                rows.append(("Translation of", original, None))
        translations = [a for a, src in self.translated_from.items() if src == article_id]
        for a in translations:
            rows.append(("Translated as", self.display(a), a))
        return rows

    def display(self, article_id: str) -> str:
        return display_name(self.articles[article_id])

    def gloss(self, pid: str) -> str | None:
        """An English gloss of a passage in another language (None for English, or where no
        resource exists): Apertium's translation where Debian ships the pair (the dossier's
        passages of that language translated in one batch), else a word-by-word dictionary gloss."""
        if pid not in self._glosses:
            self._translate_all(self.passages[pid].language)
            p: Passage = self.passages[pid]
            found = None
            if p.language and p.language != "en" and comparable(p.language):
                found = glosser(p.language).gloss(p.text)
            self._glosses[pid] = found
        return self._glosses[pid]

    def _translate_all(self, language: str | None) -> None:
        from .align import apertium
        if not language or language in self._batched or not apertium.available(language):
            return
        self._batched.add(language)
        apertium.translate(language, [p.text for p in self.dossier.passages if p.language == language])

    def gloss_label(self, pid: str) -> str:
        """Which engine made a passage's gloss: "Machine translation (Apertium)", or a word-by-word
        dictionary gloss."""
        return glosser(self.passages[pid].language).engine

    def cross(self, link: Link | None) -> str | None:
        """What a cross-language link rests on: languages, score and the matched words, each as
        its own passage writes it ("Brücke = bridge")."""
        if link is None or "languages" not in link.explanation:
            return None
        a, b = link.explanation["languages"]
        matched = ", ".join(f"{x} = {y}" for x, y in link.explanation.get("matched", [])[:6])
        return (f"{language_name(a)}–{language_name(b)}, {link.kind} score {link.score}"
                + (f"; matched: {matched}" if matched else ""))
