"""This module contains the everyday words residents use, as one table per language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from flows.understand.normalise import fold, split_words


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One language's words for yes/no answers and for reading replies generally.

    Phrases are written as residents type them; they are folded like replies when used.
    """

    yes: tuple[str, ...]
    no: tuple[str, ...]
    #: Replies that answer neither way, so that "not sure" is not read as "not" (no) + "sure".
    unsure: tuple[str, ...]
    yes_emoji: tuple[str, ...]
    no_emoji: tuple[str, ...]
    #: Words that turn the next word round: "not good" is not "good".
    negators: frozenset[str]
    #: Words that may sit between a negator and what it negates: "not too bad".
    softeners: frozenset[str]
    #: Common short words never matched by typo: "now" is one edit from "not", "how" from "who".
    filler: frozenset[str]
    #: Words that only introduce a number: "no 1", "number 2", "option 3".
    number_prefixes: frozenset[str]
    #: Text-speak and sound-alike spellings, rewritten before matching so that "alrite"
    #: finds a choice's "alright" as surely as the yes word.
    spellings: Mapping[str, str]
    #: Other ways of writing "not" ("isnt", "dont"), read as "not" so one table of hedges does.
    negative_forms: Mapping[str, str]
    #: Words that open a reply without answering: the "well" in "well not great".
    openers: frozenset[str]
    #: Words that join a second thought to an answer: "fine but my knee hurts" says more.
    joiners: frozenset[str]
    #: Words before a number that make it a time or a date: "at 2", "on the 3rd", "back by 4".
    before_times: frozenset[str]
    #: Words after a number that make it a time, date or amount: "2 pm", "3 days", "4 of them".
    after_numbers: frozenset[str]
    #: For each way of being, the words a choice for it is usually labelled with, best first.
    moods: Mapping[str, tuple[str, ...]]
    #: Everyday phrases for each way of being, negations and hedges included: "not too bad"
    #: means about OK, "could be better" means not so good. A flow's own words come first.
    hedges: Mapping[str, tuple[str, ...]]
    #: Filler and every one-word phrase above. A real word is never read as a typo of another:
    #: "lovely" must not become "lonely", nor "might" become "night".
    known: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        single = [phrase for phrase in (*self.yes, *self.no, *self.unsure) if " " not in phrase]
        object.__setattr__(self, "known", self.filler | frozenset(single))

    def respell(self, words: Sequence[str]) -> tuple[str, ...]:
        """`words` with text-speak spelt out: ("gud", "thx") → ("good", "thanks")."""
        if self.spellings.keys().isdisjoint(words):
            return tuple(words)
        return tuple(part for word in words for part in self.spellings.get(word, word).split())

    def plain_phrase(self, phrase: str) -> str:
        """A written phrase as a reply's words are read: folded, spelt out, negations plain."""
        return " ".join(self.plain_negations(self.respell(split_words(fold(phrase)))))

    def plain_negations(self, words: Sequence[str]) -> tuple[str, ...]:
        """`words` with each "not" written one way and the softeners after it dropped.

        ("im", "not", "feeling", "too", "good") → ("im", "not", "good"), so that one hedge
        "not good" covers every way of saying it.
        """
        plain: list[str] = []
        after_negator = False
        for word in words:
            word = self.negative_forms.get(word, word)
            if after_negator and word in self.softeners:
                continue
            after_negator = word in self.negators
            plain.append(word)
        return tuple(plain)


# Packed one phrase after another: these are word lists to scan, not code to read line by line.
# fmt: off
ENGLISH = Vocabulary(
    yes=(
        "yes", "y", "ye", "yeah", "yea", "yah", "ya", "yep", "yup", "yas", "aye", "sure",
        "ok", "okay", "k", "kk", "alright", "all right", "go on", "please", "yes please",
        "definitely", "of course", "course", "certainly", "absolutely", "great", "good",
        "lovely", "perfect", "brilliant", "thats fine", "sounds good", "would love to",
        "love to", "why not", "no problem", "no worries", "no bother", "not a problem",
        "i would", "i will", "i do", "will do", "i think so", "count me in", "dont mind",
        "cant wait", "thumbs up", "righto",
    ),
    no=(
        "no", "n", "nope", "nah", "naw", "nay", "no thanks", "no thank you", "no ta",
        "not", "not really", "not today", "not now", "not yet", "not this time", "never",
        "rather not", "dont", "do not", "no way", "definitely not", "of course not",
        "certainly not", "absolutely not", "dont think so", "cant", "cannot", "can not",
        "not for me", "no chance", "not interested", "thumbs down",
    ),
    unsure=(
        "maybe", "perhaps", "possibly", "might", "not sure", "unsure", "dont know",
        "no idea", "depends",
    ),
    yes_emoji=("👍", "✅", "✔", "☑", "❤", "😊", "🙂", "☺", "😀", "😃", "😄", "👌", "🙏", "🥰"),
    no_emoji=("👎", "❌", "❎", "✖", "⛔", "🚫", "🙅"),
    negators=frozenset([
        "not", "never", "isnt", "dont", "didnt", "doesnt", "wasnt", "arent", "aint", "cant",
        "wont", "hardly",
    ]),
    softeners=frozenset([
        "too", "so", "very", "that", "really", "quite", "feeling", "at", "all", "feel", "doing",
        "been", "the", "overly", "particularly", "exactly", "terribly", "as",
    ]),
    filler=frozenset([
        "i", "im", "a", "an", "the", "and", "but", "or", "so", "to", "too", "of", "on", "in",
        "at", "it", "its", "is", "am", "are", "was", "be", "me", "my", "you", "your", "we",
        "he", "she", "they", "that", "this", "now", "how", "who", "what", "when", "why", "yet",
        "just", "very", "really", "bit", "think", "feel", "feeling", "today", "day", "thanks",
        "thank", "ta", "love", "dear", "hun", "pet", "mate", "darling", "can", "will", "would",
        "get", "got", "see", "say", "had", "has", "have", "for", "with", "all", "out", "off",
        "our", "her", "him", "his", "let", "did", "does", "do", "well", "oh", "ah", "hi",
        "hello", "x", "xx", "xxx", "lol", "one", "two", "soon", "later", "thank", "thanks",
        "asking", "honest", "fair", "pretty", "kind", "sort", "quite", "been", "feeling",
        "doing", "things", "everything", "ok", "k", "cheers", "tbh",
    ]),
    number_prefixes=frozenset(
        ["no", "number", "num", "nr", "option", "opt", "choice", "answer"]
    ),
    spellings={
        "alrite": "alright", "allright": "alright", "okey": "okay", "okie": "okay",
        "oki": "okay", "okies": "okay", "yeh": "yeah", "yh": "yeah", "gud": "good",
        "gr8": "great", "pls": "please", "plz": "please", "plse": "please", "thx": "thanks",
        "thanx": "thanks", "tx": "thanks", "luv": "love", "u": "you", "ur": "your",
        "dunno": "dont know", "idk": "dont know", "cud": "could", "wud": "would",
        "nite": "night", "tonite": "tonight", "2day": "today", "2moro": "tomorrow",
        "2morrow": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow",
        "tomoz": "tomorrow", "wk": "week", "abt": "about", "hlp": "help", "v": "very",
        "gd": "good", "grt": "great", "ty": "thank you", "tyvm": "thank you", "np": "no problem",
        "rly": "really", "deffo": "definitely", "def": "definitely", "prob": "probably",
        "cld": "could", "shud": "should", "ive": "i have", "havent": "have not",
        "hasnt": "has not", "bk": "back", "b4": "before", "gr8t": "great", "awsome": "awesome",
        "kinda": "kind of", "sorta": "sort of", "tbh": "to be honest", "tbf": "to be fair",
        "okk": "okay", "oky": "okay",
    },
    negative_forms={
        "isnt": "not", "aint": "not", "arent": "not", "wasnt": "not", "werent": "not",
        "dont": "not", "doesnt": "not", "didnt": "not", "havent": "not", "hasnt": "not",
        "hadnt": "not", "nt": "not",
    },
    openers=frozenset(["well", "so", "oh", "um", "erm", "hmm", "er", "ah", "honestly", "hi"]),
    joiners=frozenset([
        "but", "though", "although", "except", "apart", "however", "because", "cos", "coz",
        "since", "and", "also", "plus", "still", "yet",
    ]),
    before_times=frozenset([
        "at", "on", "by", "until", "till", "til", "from", "since", "before", "after", "around",
        "about", "past", "half", "quarter", "back", "between", "in", "for",
    ]),
    after_numbers=frozenset([
        "am", "pm", "oclock", "o", "th", "st", "nd", "rd", "of", "ish", "days", "day", "weeks",
        "week", "months", "month", "years", "year", "hours", "hour", "hrs", "mins", "minutes",
        "times", "pounds", "quid", "p", "mile", "miles", "jan", "january", "feb", "february",
        "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august",
        "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
        "tomorrow", "tonight", "today", "morning", "afternoon", "evening", "night",
    ]),
    moods={
        "good": ("good", "great", "very good", "fine", "well", "happy"),
        "ok": ("ok", "okay", "alright", "so so", "not bad", "fair", "average", "middling"),
        "low": ("not so good", "not good", "low", "bad", "unwell", "poorly", "sad", "down"),
    },
    hedges={
        "good": (
            "never better", "never been better", "never felt better", "couldnt be better",
            "could not be better", "not bad at all", "all good", "really good", "very well",
            "on top of the world", "top of the world", "fab", "fabulous", "awesome",
            "excellent", "wonderful", "fantastic", "superb", "marvellous", "tip top",
        ),
        "ok": (
            "not too bad", "not so bad", "not bad", "not that bad", "could be worse",
            "cant complain", "cannot complain", "mustnt grumble", "must not grumble",
            "no complaints", "getting there", "getting by", "bearing up", "plodding on",
            "same as ever", "same as usual", "same old", "not bad thanks", "ok ish", "okish",
            "fine i suppose", "alright i suppose", "surviving", "muddling through",
            "so so", "meh", "up and down", "mixed",
        ),
        "low": (
            "not good", "not great", "not well", "not the best", "not best", "not brilliant",
            "not fine", "not ok", "not okay", "not alright", "not happy", "not myself",
            "not so hot", "not coping", "not grand", "not wonderful",
            "could be better", "been better", "have been better", "had better days",
            "seen better days", "under the weather", "struggling", "cant cope", "fed up",
            "a bit low", "feeling low", "rubbish", "awful", "terrible", "horrible", "dreadful",
            "miserable", "ill", "sick", "in pain", "rough", "lousy", "crap", "shocking",
        ),
    },
)
# fmt: on


def _with_english(
    yes: tuple[str, ...],
    no: tuple[str, ...],
    unsure: tuple[str, ...],
    *,
    drop: tuple[str, ...] = (),
) -> Vocabulary:
    """A language's own yes/no words, plus English ones: residents often answer in English too.

    `drop` removes English words that mean something else in the language (Polish "no" is
    "yeah"), so they are read as neither.
    """
    return replace(
        ENGLISH,
        yes=(*yes, *(w for w in ENGLISH.yes if w not in drop)),
        no=(*no, *(w for w in ENGLISH.no if w not in drop)),
        unsure=(*unsure, *drop, *ENGLISH.unsure),
    )


# Romanised Bengali and Urdu are written many ways; these are the common spellings.
# fmt: off
VOCABULARIES: Mapping[str, Vocabulary] = {
    "en": ENGLISH,
    "pl": _with_english(
        yes=("tak", "tak prosze", "jasne", "oczywiscie", "chetnie", "dobrze", "pewnie", "ok"),
        no=("nie", "nie dziekuje", "nie teraz", "raczej nie", "nie chce"),
        unsure=("moze", "nie wiem", "nie jestem pewna", "nie jestem pewien"),
        drop=("no",),
    ),
    "ro": _with_english(
        yes=("da", "da multumesc", "sigur", "desigur", "bine", "vreau"),
        no=("nu", "nu multumesc", "nu acum", "nu vreau"),
        unsure=("poate", "nu stiu", "nu sunt sigur", "nu sunt sigura"),
    ),
    "lt": _with_english(
        yes=("taip", "gerai", "zinoma", "zinoma taip", "noriu"),
        no=("ne", "ne aciu", "ne dabar", "nenoriu"),
        unsure=("gal", "galbut", "nezinau"),
    ),
    "pt": _with_english(
        yes=("sim", "claro", "com certeza", "pode ser", "quero", "sim obrigado", "sim obrigada"),
        no=("nao", "nao obrigado", "nao obrigada", "agora nao", "nao quero"),
        unsure=("talvez", "nao sei", "nao tenho certeza"),
    ),
    "bn": _with_english(
        yes=("ha", "haa", "haan", "hya", "hyan", "ji", "ji ha", "thik ache", "হ্যাঁ", "হ্যা", "জি"),
        no=("na", "naa", "nah", "না", "lagbe na", "chai na"),
        unsure=("jani na", "hoyto", "হয়তো", "জানি না"),
    ),
    "ur": _with_english(
        yes=("haan", "han", "haa", "ji", "jee", "ji haan", "jee haan", "theek hai", "ہاں", "جی"),
        no=("nahi", "nahin", "nai", "na", "ji nahi", "nahi shukriya", "نہیں"),
        unsure=("shayad", "pata nahi", "maloom nahi", "شاید"),
    ),
}
# fmt: on


def vocabulary_language(language: str) -> str:
    """The table to use for `language`: itself, its base ("en-GB" → "en"), else English."""
    if language in VOCABULARIES:
        return language
    base = language.split("-")[0].split("_")[0].lower()
    return base if base in VOCABULARIES else "en"


def negated(words: Sequence[str], start: int, vocabulary: Vocabulary) -> bool:
    """Whether the phrase at words[start] follows a negator, perhaps with one softener between."""
    before = words[max(0, start - 2) : start]
    if before and before[-1] in vocabulary.negators:
        return True
    return (
        len(before) == 2 and before[1] in vocabulary.softeners and before[0] in vocabulary.negators
    )
