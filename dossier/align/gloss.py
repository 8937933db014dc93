"""Passages in another language as English tokens, so the same scorer compares them.

Each foreign word is looked up in a FreeDict X-English dictionary (`freedict.py`): as written,
then with its inflection ending swapped for a dictionary form's ("sagte" -> "sagen",
"zatvorila" -> "zatvoriti"), then by its Snowball stem, then (German) as a compound, then as a
cognate of a common English word ("terminal", "ecologistas" -> ecologist). It becomes English
tokens, one per reading (up to three, likeliest first, sharing the word's weight), all at the
foreign word's own character span, so a matched span is shown in the original text.

Names are not in dictionaries: they compare by a spelling key. Serbian (and Russian) Cyrillic is
transliterated, diacritics are folded, a few spellings are merged (w/v, sh/sch/š, ch/č/ć, y/j/i)
and vowels after the first letter are dropped: Путин, Putyin, Poutine, Putinom -> "ptn". In a
dossier of several languages English names get the same key.

Everything here depends on the word and its language alone, never on the dossier.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

import Stemmer

from ..text import NUMBER_WORDS
from .freedict import available, dictionary
from .tokens import DATE_WEIGHT, NAME_WEIGHT, QUOTED_WEIGHT, WORD, Token, _lexical, quoted_spans, rarity

READING_SHARES = (0.6, 0.25, 0.15)  # a word's weight shared among its English readings (see Glosser._token)
COGNATE, COGNATE_ZIPF = 7, 2.5  # letters a cognate shares with a common English word (see `cognate`)
# A figure with groups of three digits spaced out ("80 000"), or a word as the English tokens read it.
FOREIGN_WORD = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|" + WORD.pattern)

# Language (BCP 47 primary tag) -> FreeDict dictionaries (ISO 639-3, "-eng"), first found first
# asked, and its Snowball stemmer. Serbian, Croatian and Bosnian share one written standard in
# Latin script (Serbian also in Cyrillic): the Croatian dictionary is much the larger.
RESOURCES = {
    "de": (tuple(os.environ.get("DOSSIER_GERMAN", "ding deu").split()), "german"), "sr": (("hrv", "srp"), "serbian"), "hr": (("hrv", "srp"), "serbian"),
    "bs": (("hrv", "srp"), "serbian"), "es": (("spa",), "spanish"), "fr": (("fra",), "french"),
    "it": (("ita",), "italian"), "nl": (("nld",), "dutch"), "pt": (("por",), "portuguese"),
    "sv": (("swe",), "swedish"), "da": (("dan",), "danish"), "fi": (("fin",), "finnish"),
    "hu": (("hun",), "hungarian"), "pl": (("pol",), None), "cs": (("ces",), "czech"),
    "tr": (("tur",), "turkish"), "el": (("ell",), "greek"), "lt": (("lit",), "lithuanian"),
    "sk": (("slk",), None), "sl": (("slv",), None),
}
# Dictionary forms an inflected word may come from: endings to strip, endings to add.
LEMMA_ENDINGS = {
    "german": (("ten", "te", "test", "tet", "et", "t", "en", "e", "es", "er", "em", "n", "s"), ("", "en", "n", "e")),
    "serbian": (("ala", "ali", "alo", "ao", "la", "li", "lo", "om", "ima", "ama", "og", "oj", "ih", "im", "a", "e",
                 "i", "u", "o"), ("ti", "ati", "iti", "eti", "a", "")),
    "spanish": (("aron", "ieron", "ó", "ió", "ado", "ada", "ados", "adas", "ido", "ida", "es", "s", "a", "o"),
                ("ar", "er", "ir", "o", "a", "")),
    "french": (("é", "ée", "és", "ées", "a", "ait", "aient", "èrent", "it", "s", "e"), ("er", "ir", "re", "e", "")),
}
# Function words (no fact of their own), per stemmer language; kept short, as the English list.
FUNCTION_WORDS = {
    "german": "der die das des dem den ein eine einer eines einem einen und oder aber auch als am an auf aus bei "
              "bis durch für gegen hat haben hatte hatten ist sind war waren wird werden wurde wurden worden sei "
              "im in ins mit nach nicht noch nur ob über um unter von vom vor wie zu zum zur sich sie er es "
              "wir ihr ihre ihren sein seine seiner seinen dass daß dies diese dieser dieses so sagte sagten "
              "werde würde würden habe hätte kann könne soll solle muss müsse man einem einer jedoch sowie "
              "erklärte laut",
    "serbian": "i u na je su da se za od sa s o po iz do koji koja koje kao ali a ili bi biti bio bila bilo "
               "bili će ce ne to taj ta te ovo ova ovaj njegov njegova njihov što sto kako prema još jos već vec "
               "kod nakon pre prije tokom ga mu joj ih im nije jer dok",
    "spanish": "el la los las un una unos unas de del y o pero al a en con por para que se su sus es son fue "
               "fueron ha han había como más mas no lo le les este esta estos estas ese esa sobre tras según "
               "dijo afirmó",
    "french": "le la les un une des de du et ou mais au aux à en dans avec par pour que qui se sa son ses est "
              "sont été a ont avait comme plus ne pas ce cette ces sur selon après l d qu s n il elle ils elles "
              "a déclaré dit",
}
_CYRILLIC = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџшйыэюяёщъь",
                     "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š j y e ju ja jo šč - -".split()))
_CYRILLIC = {k: ("" if v == "-" else v) for k, v in _CYRILLIC.items()}
_NAME_RULES = [(re.compile(a), b) for a, b in (
    (r"tsch|tch|ch|č|ć|cz", "c"), (r"sch|sh|š|sz", "s"), (r"dž|dj|đ|gj", "d"), (r"ž|zh", "z"), (r"ph", "f"),
    (r"w", "v"), (r"ck|q", "k"), (r"x", "ks"), (r"th", "t"), (r"[yj]", "i"), (r"(?<=.)h", ""),
)]


# German function words that have an English word of their own, for the gloss shown to readers.
GLOSS_WORDS = {"de": dict(pair.split(":") for pair in (
    "der:the die:the das:the des:of-the dem:the den:the ein:a eine:a einer:a eines:of-a einem:a einen:a "
    "und:and oder:or aber:but auch:also als:as am:on-the an:at auf:on aus:from bei:at beim:at-the bis:until "
    "durch:through für:for gegen:against hat:has haben:have hatte:had hatten:had ist:is sind:are war:was "
    "waren:were wird:will werden:will wurde:was wurden:were worden:been sei:was im:in-the in:in ins:into "
    "mit:with nach:after nicht:not noch:still nur:only über:about um:at unter:among von:of vom:of-the vor:before "
    "wie:as zu:to zum:to-the zur:to-the sich:itself sie:she er:he es:it wir:we ihr:her ihre:her ihren:their "
    "sein:his seine:his seiner:his seinen:his dass:that daß:that dies:this diese:this dieser:this dieses:this "
    "so:so sagte:said sagten:said habe:has hätte:would-have kann:can könne:could soll:shall solle:should "
    "muss:must müsse:must man:one jedoch:however sowie:as-well-as erklärte:declared laut:according-to "
    "würde:would würden:would werde:will seit:since wegen:because-of").split())}
GLOSS_WORDS["de"] = {k: v.replace("-", " ") for k, v in GLOSS_WORDS["de"].items()}
GERMAN_UNGLOSSED = frozenset("denn doch ja mal eben halt wohl schon etwa".split())
# Particles a German separable verb leaves at its clause's end ("kündigte ... an" -> ankündigen).
SEPARABLE = frozenset("ab an auf aus bei ein fest fort her hin los mit nach vor weg zu zurück zusammen "
                      "statt teil bekannt hinzu voran vorbei weiter".split())
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?\"“”„«»)–—]|$)")


WEAK_PAST = re.compile(r"(?:te|ten|test|tet)$")  # a German weak verb's past: read by its lemma first


@lru_cache(maxsize=200_000)
def german_lemma(word: str, capital: bool = False) -> str:
    """simplemma's German lemma of a word (lower case): "starben" -> "sterben"."""
    import simplemma
    return simplemma.lemmatize(word.capitalize() if capital else word, lang="de").lower()


def separable_verbs(text: str, matches: list, glosser) -> dict[int, tuple[str, ...] | None]:
    """German separable verbs split across a clause: {verb's place: the whole verb's English
    readings, particle's place: None}. A particle at a clause's end joins the nearest verb before
    it in the clause whose lemma with the particle is a dictionary word ("Putin kündigte Gespräche
    an." -> ankündigen: announce)."""
    found: dict[int, tuple[str, ...] | None] = {}
    for k, match in enumerate(matches):
        particle = match.group().lower()
        if particle not in SEPARABLE or k == 0 or not _CLAUSE_END.match(text, match.end()):
            continue
        for j in range(k - 1, max(-1, k - 12), -1):
            between = text[matches[j].end():matches[j + 1].start()]
            if any(ch in between for ch in ",;:.!?"):
                break
            verb = matches[j].group()
            if verb[0].isupper() and j > 0 or verb[0].isdigit() or j in found:
                continue
            lemma = german_lemma(verb.lower())
            readings = glosser._find(particle + lemma) if lemma else ()
            if readings:
                found[j], found[k] = readings, None
                break
    return found


def has_resource(language: str) -> bool:
    """Whether a dictionary into English is installed for the language."""
    from . import apertium
    codes, _ = RESOURCES.get(language, ((), None))
    return any(available(code) for code in codes) or apertium.available(language)


def transliterate(word: str) -> str:
    """Serbian (and Russian) Cyrillic to Serbian Latin; other scripts unchanged."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in word):
        return word
    out = []
    for ch in word:
        low = ch.lower()
        latin = _CYRILLIC.get(low, ch)
        out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out)


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """A spelling key for names across languages: Путин, Putyin, Poutine, Putin -> "ptn"."""
    folded = transliterate(word).lower()
    for pattern, replacement in _NAME_RULES[:4]:
        folded = pattern.sub(replacement, folded)
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    for pattern, replacement in _NAME_RULES[4:]:
        folded = pattern.sub(replacement, folded)
    if not folded:
        return "~"
    skeleton = folded[0] + re.sub(r"[aeiou]", "", folded[1:])
    return "~" + re.sub(r"(.)\1+", r"\1", skeleton)


class Glosser:
    """Word-by-word English readings for one language."""

    engine = "Machine gloss, word by word (FreeDict)"

    def __init__(self, language: str):
        codes, algorithm = RESOURCES.get(language, ((), None))
        self.language = language
        self.dictionaries = [d for d in (dictionary(code) for code in codes) if d is not None]
        self.stemmer = Stemmer.Stemmer(algorithm) if algorithm else None
        self.function = frozenset(FUNCTION_WORDS.get(algorithm or "", "").split())
        self.endings = LEMMA_ENDINGS.get(algorithm or "", ((), ()))
        self.by_stem: dict[str, str] | None = None
        self.compounds: set[str] = set()  # words read as compounds (a capitalised one may be a place: Helmsdorf)
        self.head_only: set[str] = set()  # compounds read by their head alone (the modifier unknown)
        self.cyrillic_index: dict[str, str] = {}  # Latin spelling -> Cyrillic headword (srp-eng is Cyrillic)
        for d in self.dictionaries:
            if d.code != "srp":
                continue
            for head in d.index:
                latin = transliterate(head)
                if latin != head:
                    self.cyrillic_index.setdefault(latin, head)

    def _stems(self) -> dict[str, str]:
        if self.by_stem is None:
            self.by_stem = {}
            if self.stemmer:
                heads = sorted({transliterate(h) if d.code == "srp" else h
                                for d in self.dictionaries for h in d.index if " " not in h},
                               key=lambda h: (len(h), h))
                for head, stem_ in zip(heads, self.stemmer.stemWords(heads)):
                    self.by_stem.setdefault(stem_, head)
        return self.by_stem

    def _find(self, word: str, lemma: str | None = None, lower: bool = False) -> tuple[str, ...]:
        """A word's readings in the first dictionary that has it as written or (`lemma`) as its lemma
        (`lower`: written in lower case, so no German noun)."""
        for d in self.dictionaries:
            for key in (word, self.cyrillic_index.get(word), lemma):
                if key and key in d:
                    found = d.lookup(key, lower)
                    if found:
                        return found
        return ()

    @lru_cache(maxsize=200_000)  # noqa: B019 (one glosser per language and process)
    def english(self, word: str, capital: bool = False) -> tuple[str, ...]:
        """English readings of a word (lower case, Latin script), most likely first; () if unknown.
        A capitalised word is only looked up as written (German nouns also inflected): a name
        that looks like an inflected word ("Putin", "Trampom") stays a name."""
        lemma = german_lemma(word, capital) if self.language == "de" and len(word) >= 3 else None
        if lemma and lemma != word and not capital and WEAK_PAST.search(word) and (found := self._find(lemma, lower=True)):
            return found  # "gratulierte": congratulate (the past form's own entry says "complimented")
        # in each dictionary the word as written, then simplemma's lemma: "starben" -> sterben
        found = self._find(word, lemma if lemma != word else None, lower=not capital)
        if found or len(word) < 4 or (capital and self.language != "de"):
            return found
        strip, add = self.endings
        for ending in strip:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                for new in add:
                    if (found := self._find(word[: len(word) - len(ending)] + new)):
                        return found
        if self.stemmer:
            head = self._stems().get(self.stemmer.stemWord(word))
            if head and (found := self._find(head)):
                return found
        if self.language in ("sr", "bs") and "e" in word:  # ekavian "predsednik" / ijekavian "predsjednik"
            for k in (k for k, ch in enumerate(word) if ch == "e"):
                for variant in ("ije", "je"):
                    if (found := self._find(word[:k] + variant + word[k + 1:])):
                        return found
        if self.language == "de" and len(word) >= 7:
            found = self.compound(word)
            if found:
                self.compounds.add(word)
                return found
        return () if capital else cognate(word)

    def _shown(self, word: str, capital: bool, english: str) -> str:
        """A reading as a gloss shows it: whole where the dictionary gives it as a two-word phrase."""
        lemma = german_lemma(word, capital) if self.language == "de" and len(word) >= 3 else None
        for d in self.dictionaries:
            phrase = getattr(d, "phrase", None)
            for key in (word, lemma) if phrase else ():
                if key and (found := phrase(key, english, not capital)):
                    return found
        return english

    def compound(self, word: str) -> tuple[str, ...]:
        """A German compound as its head's first reading and its modifier's ("Flussbrücke": bridge,
        river), the longest known head first."""
        for cut in range(3, len(word) - 3):
            head = word[cut:]
            found_head = self._find(head) or self._find(head + "e") if len(head) >= 4 else ()
            if not found_head:
                continue
            for left in (word[:cut], word[:cut - 1] if word[cut - 1] in "sn" else None,
                         word[:cut - 2] if word[cut - 2:cut] == "en" else None):
                if left and len(left) >= 3 and (found_left := self._find(left) or self._find(left + "e")):
                    return (found_head[0], found_left[0])
            self.head_only.add(word)  # a capitalised one is likelier a place or a name: Helmsdorf
            return found_head[:1]
        return ()

    def is_function(self, word: str) -> bool:
        return word in self.function

    def tokens(self, text: str) -> tuple[Token, ...]:
        """English tokens for a foreign passage, at the foreign words' spans."""
        quoted = quoted_spans(text)
        found: list[Token] = []
        matches = list(FOREIGN_WORD.finditer(text))
        joined = separable_verbs(text, matches, self) if self.language == "de" else {}
        for k, match in enumerate(matches):
            if k in joined:
                verb = joined[k]
                if verb is None:
                    continue  # the particle of a separable verb: read with its verb
                factor = QUOTED_WEIGHT if quoted and any(a < match.start() < b for a, b in quoted) else 1.0
                found.extend(self._token(verb, match.start(), match.end(), factor))
                continue
            found.extend(self._word(text, match.group(), match.start(), match.end(), k, quoted))
        return tuple(found)

    def _word(self, text: str, surface: str, start: int, end: int, k: int,
              quoted: list[tuple[int, int]]) -> list[Token]:
        """The English tokens of one foreign word read through the dictionaries (`k`: its place)."""
        word = transliterate(surface).lower().replace("’", "'")
        factor = QUOTED_WEIGHT if quoted and any(a < start < b for a, b in quoted) else 1.0
        if word[0].isdigit():
            info = _lexical(_number(word))
            return [Token(info[1], info[0], start, end, info[3] * factor, (), "number")] if info else []
        if word in self.function:
            return []
        mid_capital = k > 0 and surface[0].isupper() and self.language != "de"
        readings = () if mid_capital else self.english(word, surface[0].isupper())
        if readings and k > 0 and surface[0].isupper() and word in self.head_only:
            readings = ()  # "Helmsdorf": a name, not a village
        found = []
        if not readings or (surface[0].isupper() and word in self.compounds):
            if surface[0].isupper() or len(word) >= 4:  # a name, or a word no dictionary has
                found.append(self._name(word, surface, start, end, factor))
            if not readings:
                return found
        return found + self._token(readings, start, end, factor)

    def _name(self, word: str, surface: str, start: int, end: int, factor: float) -> Token:
        key = name_key(self.stemmer.stemWord(word) if self.stemmer else word)
        return Token(key, surface, start, end, rarity(word) * NAME_WEIGHT * factor, (), "name")

    def _token(self, readings: tuple[str, ...], start: int, end: int, factor: float) -> list[Token]:
        """A foreign word as one English token per reading, the word's weight shared among them by
        READING_SHARES (likeliest first): an English word matching the first reading shares most
        of it, one matching another reading less, and two foreign passages sharing the word share
        exactly one word's weight, however many readings it has."""
        infos = [info for english in readings if (info := _lexical(NUMBER_WORDS.get(english, english)))]
        if not infos:
            return []
        if infos[0][2] == "number":
            return [Token(infos[0][1], infos[0][0], start, end, infos[0][3] * factor, (), "number")]
        shares = READING_SHARES[:len(infos)]
        total = sum(shares)
        weight = infos[0][3] * factor  # the word weighs what its likeliest reading does
        return [Token(stem_, word, start, end, weight * share / total, first + more, kind, len(first))
                for (word, stem_, kind, _, (first, more)), share in zip(infos, shares)]

    def stems(self, text: str) -> list[str]:
        return [t.stem for t in self.tokens(text)]

    def gloss(self, text: str) -> str:
        """A word-by-word English reading for display (machine-made; names and unknown words kept,
        function words with no English word of their own left out, a separable verb read whole)."""
        out, at = [], 0
        matches = list(FOREIGN_WORD.finditer(text))
        joined = separable_verbs(text, matches, self) if self.language == "de" else {}
        for k, match in enumerate(matches):
            out.append(text[at:match.start()])
            at = match.end()
            surface = match.group()
            word = transliterate(surface).lower()
            if k in joined:
                if joined[k] is not None:
                    out.append(joined[k][0])
                continue
            if word in GLOSS_WORDS.get(self.language, {}):
                out.append(GLOSS_WORDS[self.language][word])
                continue
            readings = self.english(word, surface[0].isupper()) if not word[0].isdigit() else ()
            if readings and k > 0 and surface[0].isupper() and word in self.head_only:
                readings = ()
            if readings:
                out.append(self._shown(word, surface[0].isupper(), readings[0]))
            elif word[0].isdigit():
                out.append(_number(word))
            elif word in self.function or (self.language == "de" and word in GERMAN_UNGLOSSED):
                continue  # a function word with no English word of its own: not printed as it is
            else:
                out.append(transliterate(surface))
        out.append(text[at:])
        return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r" {2,}", " ", "".join(out))).strip()


@lru_cache(maxsize=1)
def _english_vocabulary() -> tuple[frozenset[str], dict[str, str]]:
    """WordNet's single words that are common in English, and the commonest by first COGNATE letters."""
    from .freedict import zipf
    from .lexicon import lexicon
    words = {w for table in lexicon().senses.values() for w in table if w.isalpha() and len(w) >= 5}
    common = {w: zipf(w) for w in words}
    common = {w: z for w, z in common.items() if z >= COGNATE_ZIPF}
    by_prefix: dict[str, str] = {}
    for w in sorted(common, key=lambda w: (-common[w], w)):
        if len(w) >= COGNATE:
            by_prefix.setdefault(w[:COGNATE], w)
    return frozenset(common), by_prefix


@lru_cache(maxsize=200_000)
def cognate(word: str) -> tuple[str, ...]:
    """A word no dictionary has, read as the English word it is written as, or the commonest
    English word sharing its first COGNATE letters (diacritics folded): "terminal", "ecologistas"
    -> ecologist, "électricité" -> electricity. Proper false friends are rare in news vocabulary."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    if len(folded) < 5 or not folded.isalpha():
        return ()
    words, by_prefix = _english_vocabulary()
    if folded in words:
        return (folded,)
    found = by_prefix.get(folded[:COGNATE]) if len(folded) >= COGNATE else None
    return (found,) if found else ()


def _number(word: str) -> str:
    """A figure written the continental way as English writes it: 3,5 -> 3.5; 1.200 -> 1200."""
    word = re.sub(r"[ \u00a0\u202f]", "", word)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", word):
        return word.replace(".", "")
    return word.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", word) else word


class MachineGlosser(Glosser):
    """A language Apertium translates into English (`apertium.py`): each word read in context by
    Apertium's analyser, tagger and bilingual dictionary (its lemma's English words, at the
    word's span); words Apertium does not know go through the dictionaries as in `Glosser`. The
    gloss shown to readers is Apertium's translation of the whole passage."""

    engine = "Machine translation (Apertium)"

    def tokens(self, text: str) -> tuple[Token, ...]:
        from . import apertium
        quoted = quoted_spans(text)
        figures = [m.span() for m in FOREIGN_WORD.finditer(text) if m.group()[0].isdigit()]
        found: list[Token] = []
        for k, w in enumerate(apertium.analyse(self.language, [text])[0]):
            surface = text[w.start:w.end]
            if not surface or not (surface[0].isalnum()):
                continue
            figure = next((f for f in figures if f[0] <= w.start < f[1]), None)
            if figure is not None:  # "80 000", "7,8": the figure as English writes it, once
                if w.start == figure[0]:
                    found.extend(self._word(text, text[figure[0]:figure[1]], figure[0], figure[1], k, quoted))
                continue
            if not w.known:
                found.extend(self._word(text, surface, w.start, w.end, k, quoted))
                continue
            pos = w.tags[0]
            if pos in apertium.FUNCTION_TAGS:
                continue
            factor = QUOTED_WEIGHT if quoted and any(a < w.start < b for a, b in quoted) else 1.0
            word = transliterate(surface).lower()
            if pos == "np" or (pos == "n" and "acr" in w.tags) or (k > 0 and surface[0].isupper() and pos == "n"
                                                                   and not w.english):
                found.append(self._name(word, surface, w.start, w.end, factor))
                continue
            readings = tuple(e.lower() for e in w.english if e and not e[0].isdigit())
            if not readings:
                found.extend(self._word(text, surface, w.start, w.end, k, quoted))
                continue
            found.extend(self._token(readings[:len(READING_SHARES)], w.start, w.end, factor))
        return tuple(found)

    def gloss(self, text: str) -> str:
        from . import apertium
        return apertium.translate(self.language, [text])[0]


@lru_cache(maxsize=32)
def glosser(language: str) -> Glosser:
    from . import apertium
    return MachineGlosser(language) if apertium.available(language) else Glosser(language)


def english_name_keys(toks: tuple[Token, ...]) -> tuple[Token, ...]:
    """An English passage's names keyed by spelling, as foreign names are (several-language dossiers)."""
    return tuple(Token(name_key(t.stem), t.word, t.start, t.end, t.weight, t.concepts, t.kind, t.primary)
                 if t.kind == "name" or (not t.concepts and t.kind == "word" and t.word[:1].isalpha()
                                         and rarity(t.word) >= 1.5) else t for t in toks)


__all__ = ["Glosser", "glosser", "has_resource", "name_key", "transliterate", "english_name_keys", "DATE_WEIGHT"]
