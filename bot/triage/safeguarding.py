"""This module contains safeguarding triage: spotting a message that signals risk, and the reply."""

# One file on purpose: the phrase tables, the rules that soften a match and the fixed replies
# are reviewed together by safeguarding staff, and splitting them would hide how they interact.

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.triage.phrases import Hit, PhraseBook, Speller, read_words


class RiskCategory(StrEnum):
    """What kind of risk a message signals, most pressing first (the order picks the reply)."""

    BREATHING = "breathing"
    CHEST_PAIN = "chest_pain"
    STROKE = "stroke"
    SUICIDE = "suicide"
    UNWELL_URGENT = "unwell_urgent"
    FALL = "fall"
    ABUSE = "abuse"
    HELP_ME = "help_me"


@dataclass(frozen=True, slots=True)
class RiskMatch:
    """A risk found in a message.

    `phrase` is the resident's own words that matched, folded, for staff only: never show it
    to a buddy or another resident. `urgent` is False for softer signals, which still reach a
    human but at routine priority: a negated mention ("no chest pain today", "not suicidal"),
    a worry rather than an event ("scared I might fall"), an event clearly in the past ("had a
    fall last year"), or a vague concern ("feeling very poorly").
    """

    category: RiskCategory
    phrase: str
    urgent: bool = True


# How each pattern's tense or mood bears on urgency.
_NOW = "now"  # present danger: urgent unless negated
_EVENT = "event"  # something that happened: urgent unless negated, a worry, or long ago
_CONCERN = "concern"  # worth a human's eye, never a page

_CANT = "(cant|cannot|can not|carnt|cnt|couldnt|could not)"
_BE = "(is |are |feels |feel |felt |was |has |has been |have been |keeps |been |gone |has gone |)"
_VERY = "(really |very |so |quite |a bit |a little |bit |)"
_SUBJECT = (
    "(he|she|they|someone|somebody|son|daughter|husband|wife|partner|carer|carers|grandson|"
    "granddaughter|neighbour|neighbours|nephew|niece|brother|sister|boyfriend|girlfriend|lodger)"
)
_PURPOSE = (
    "(with|to|find|finding|choose|choosing|book|booking|fill|filling|sort|sorting|set up|"
    "setting up|understand|understanding|use|using|read|reading|write|writing|learn|learning|"
    "plan|planning|pick|picking|decide|deciding|organise|organising|organize|out|get to|"
    "getting to|make|making|work out|figure out|look|looking|print|printing|apply|applying|"
    "register|join|joining|for|about|on|into|yourself|yourselves|themselves|ourselves)"
)
_FALLER = (
    "(i|she|he|mum|mom|dad|husband|wife|partner|nan|nanna|gran|grandad|son|daughter|neighbour"
    "|friend|sister|brother|we|they)"
)
_ROOM = "(kitchen|street|garden|bathroom|shower|bath|road|shop|house|hall|hallway|bedroom|toilet)"
_PERCH = "(bed|chair|stool|ladder|step|steps|bus|kerb|curb|toilet|sofa)"
_DAYS = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|my birthday|christmas)"

# Patterns, by category and by how urgency is judged. Each is written folded (no capitals or
# apostrophes); "(a|b|)" is a choice, an empty choice making it optional, "$" the message end.
# fmt: off
_RULES: dict[RiskCategory, dict[str, tuple[str, ...]]] = {
    RiskCategory.FALL: {
        _NOW: (
            f"{_CANT} get (up|back up|myself up|off the floor|up off the floor|off the bed)",
            "(im|i am|lying|laying|lay|stuck|been|still|sat|sitting|down|collapsed) on (the|my)"
            " floor",
            "^ on (the|my) floor",
            "(stuck|trapped) (in|on) (the|my) (bath|toilet|floor|stairs)",
            "help me (get|getting) up",
            "(keep|kept|keeps|keep on) falling",
        ),
        _EVENT: (
            # "fell" needs a person or a place to fall: "the picture fell off the wall" and "my
            # hearing aid fell out" are not falls. "fallen" is rarely said of things.
            "fallen",
            f"{_FALLER} (just |)fell",
            "fell (over|down|and|on the floor|on my|down the stairs|up the stairs|out of bed|from)",
            f"fell in the {_ROOM}", f"fell off (my|the) {_PERCH}",
            "(had|took|taken|have had|ive had) (a |another |)(bad |nasty |big |little |small "
            "|slight |)fall",
            "(bad|nasty|another) fall",
            "(fall|falling) (over|down|off|out of bed)",
            "(tripped|slipped) (over|up|and|on|down|off|in the|in my)",
        ),
    },
    RiskCategory.CHEST_PAIN: {
        _EVENT: (
            "chest (pain|pains|ache|aches|tightness|pressure)",
            "(pain|pains|ache|aching|tightness|pressure|crushing|squeezing|heaviness|burning) "
            "(in|across|on|around) (my|the) chest",
            f"chest {_BE}{_VERY}(tight|hurting|hurts|hurt|sore|painful|aching|heavy|pain|burning"
            "|crushing|killing me)",
            "(tight|sore|painful|heavy|aching|crushing) chest",
            "heart attack",
            "pain (down|in|along) my left arm",
        ),
    },
    RiskCategory.STROKE: {
        _NOW: (
            f"(face|mouth|smile) {_BE}(drooping|droopy|drooped|dropped|dropping|fallen|falling"
            "|lopsided|numb|twisted|crooked|slipped|gone funny)",
            "(drooping|droopy|lopsided) (face|mouth|smile)",
            "one side of my (face|mouth|body)",
            # Arms and face only (the FAST signs): "my legs are weak" is an everyday complaint
            # here, and would page someone for residents who have said it for years.
            f"(arm|arms|hand|side|face) {_BE}{_VERY}(weak|numb|dead|floppy)",
            f"{_CANT} (lift|move|raise|feel) my (arm|arms|hand|leg|left|right|face)",
            f"speech {_BE}{_VERY}(slurred|slurring|funny|strange|wrong|weird|muddled|jumbled"
            "|garbled)",
            "slurred", "slurring",
            # Not "can't talk" alone: "sorry, can't talk" is how a busy resident says not now.
            f"{_CANT} (speak|talk) (properly|right|clearly|straight)",
            f"{_CANT} get (my|the) words out",
            "words (are |keep |)(coming out |)(wrong|jumbled|muddled|garbled)",
            # Not "had a stroke": many residents had one, and say so in passing.
            "having (a|another) (mini |)stroke", "(another|mini) stroke",
            "think (i|ive|i have|i might have|i may have|she|he|shes|hes) had a (mini |)stroke",
            "signs of (a |)stroke",
        ),
    },
    RiskCategory.SUICIDE: {
        _NOW: (
            "(want|wanna|wanted|going|gonna|ready|like) to die", "(want|wanna) die",
            "wish i (was|were|could|would|could just|would just) (dead|die)",
            "wish i (wasnt|was not|werent|was never) (here|alive|born)",
            "(end|ending|take|taking) (it all|my life|my own life)",
            "(want to|wanna|going to|gonna|ready to|might|will) end it $",
            "(kill|killing|killed|hang|hanging|harm|harming|drown) (myself|my self)",
            "(want|going|thinking about|thought about|feel like|urge) to (hurt|harm|cut)"
            " (myself|my self)",
            "self (harm|harming)",
            "suicide", "suicidal",
            "no (point|reason|purpose) (in |to |of |)(living|life|going on|carrying on|being here"
            "|being alive|live|me being here)",
            "(whats|what is) the point (in|of) (living|going on|carrying on|life|being here"
            "|being alive|it all)",
            "nothing (left |)to live for",
            "(dont|do not|dont really) want to (live|be alive|wake up|go on|carry on)",
            "(dont|do not|dont really) want to be here (anymore|any more|$)",
            "(better|happier) off (without me|dead)",
            "better off if i (was|were|wasnt|werent) (here|around|dead|gone)",
            "(no one|noone|nobody|no body) would (miss|care|notice) (me|if)",
            f"{_CANT} (go on|carry on) (anymore|any more|like this|living|$)",
            f"{_CANT} take (it|this) (anymore|any more)",
            "(took|taken|take|taking) an overdose", "overdose",
            "(take|taking|swallow) all (of |)my (tablets|pills)",
            "(saving|saving up|stockpiling) (my |)(tablets|pills)",
            "throw myself (off|in front|under)",
        ),
    },
    RiskCategory.ABUSE: {
        _NOW: (
            f"{_SUBJECT} (keeps |always |still |is |are |has been |have been |)(hits|hitting|beats"
            "|beating|kicks|kicking|slaps|slapping|punches|punching|pushes|pushing|shoves|grabs"
            "|chokes|strangles|threatens|threatening|bullies|bullying|abuses|abusing|hurts|hurting"
            "|scares|frightens) me",
            f"{_SUBJECT} (keeps |)(takes|taking|steals|stealing|controls|keeps|has) (all |)my "
            "(money|pension|benefits|savings|bank card)",
            "(taking|takes|took|stealing|stole|stolen) money (from|out of) my"
            " (account|purse|bank|wallet)",
            "(stealing|steals) from me",
            "(scared|afraid|frightened|terrified) of (him|her|them|my son|my daughter|my husband"
            "|my wife|my partner|my carer|my grandson|my granddaughter|my neighbour|my lodger"
            "|what he|what she)",
            f"{_SUBJECT} (wont|will not|doesnt|does not) let me (leave|out|go out|see anyone"
            "|have my money|have any money|use the phone|eat)",
            "(locks|locked|locking) me (in|up|out)",
            "(abuse|abused|abusing|abusive)",
            "(being|been|am|im) (abused|bullied|threatened|attacked|assaulted)",
            "(dont|do not) feel safe", "not safe (at home|here|in my home|in my house|in my flat)",
        ),
        _EVENT: (
            f"{_SUBJECT} (hit|beat|kicked|slapped|punched|pushed|shoved|grabbed|choked|strangled"
            "|threatened|bullied|abused|hurt|attacked) me",
            f"{_SUBJECT} (took|stole|has taken|has stolen) (all |)my"
            " (money|pension|benefits|savings)",
            "(been|was|got) (robbed|mugged)",
        ),
    },
    RiskCategory.BREATHING: {
        _NOW: (
            f"{_CANT} (breathe|breath|breathing|get my breath|get a breath|get air"
            "|catch my breath)",
            "(struggling|struggle|struggled|fighting|hard|difficult|difficulty|trouble|problems)"
            " (to |with |for |)(breathe|breath|breathing)",
            # Not "gasping" alone: "gasping for a cuppa" is everyday English.
            "short of breath", "gasping for (air|breath)",
            "(very|really|so|too|getting|feel|feeling) breathless",
            "choking", "(lips|lip) (are |is |)(turning |gone |)blue",
        ),
    },
    RiskCategory.UNWELL_URGENT: {
        _NOW: (
            "(im|i am|i feel like im|feel like im) dying",
            "(collapsed|fainted|unconscious|seizure|keep fainting|keeps fainting)",
            "(i|ive|i have|just|she|he|mum|husband|wife|nearly|almost|keep|kept|keeps)"
            " (passed|blacked) out",
            "(having|had) a fit",
            "(bleeding|bleed) (badly|a lot|heavily|wont stop|everywhere|lots)",
            f"{_CANT} stop (the |it |)bleeding",
            "(so|a lot of|loads of|so much|lots of) blood",
        ),
        _EVENT: (
            "(hit|banged|bumped|cracked) my head",
            "(taken|took|had) too many (tablets|pills)",
            "(hurt|cut|burnt|burned|scalded) (myself|my self)",
        ),
        _CONCERN: (
            "(very|really|so|seriously|terribly|extremely) (ill|unwell|poorly)",
        ),
    },
    RiskCategory.HELP_ME: {
        _NOW: (
            "help me", "help us", "help help",
            "(please|pls|plz|someone|somebody|anyone|anybody|god) help",
            "help (please|pls|plz|quick|quickly|now|asap|urgently|urgent)",
            "(i|we|really|urgently|desperately) need (some |urgent |)help",
            "need help (now|urgently|quick|quickly|asap|please|$)",
            "sos", "emergency",
            "(call|ring|phone|dial) (999|911|112)",
            "(call|ring|phone|get|need|send) (an |the |a |)(ambulance|paramedic|paramedics)",
            "come quick", "come quickly",
        ),
    },
}

# Phrases that look like a risk but are everyday English. A match that overlaps one of these,
# for the same category, is dropped. Each is here because a resident could plausibly write it.
_NOT_RISK: dict[RiskCategory, tuple[str, ...]] = {
    RiskCategory.FALL: (
        # "I fell asleep", "fell behind with my jigsaw", "we fell out", "my birthday fell on a
        # Sunday", "remembering the fallen" (Remembrance Sunday matters to many residents).
        "(fell|fallen|falling) (asleep|behind|for|in love|apart|through|short|silent|ill|pregnant"
        "|into place|off the wagon|out with|out over|out about)",
        "(we|they|weve|theyve) (fell|fallen) out", "fell on (a |)" + _DAYS, "the fallen",
        "fallen (leaves|tree|trees|soldiers|heroes)",
        "(prices|price|it|standards|night|temperature|value|shares) (has |have |)(fallen|fell)",
        "(face|mouth|smile) (has |is |has gone |)(fallen|falling)",
        "fall out (with|over|about)", "slipped (my|her|his) mind",
        "fall (alarm|pendant|detector|sensor|team|clinic|prevention|risk|class)",
        f"{_CANT} get up (early|earlier|that early|so early|in the morning|in time|on time|at"
        "|before|for)",
        "(its|it is|is|place|house|flat|fence|wall|ceiling|building|roof|shed) falling down",
    ),
    RiskCategory.CHEST_PAIN: (
        # "I nearly had a heart attack when I saw the price!" is an idiom, not an event.
        "(nearly|almost|practically) (had|have|gave me|give me) a heart attack",
        "(gave|give|giving) me a heart attack",
    ),
    RiskCategory.STROKE: (f"{_CANT} (speak|talk) right (now|this minute|at the moment)",),
    RiskCategory.SUICIDE: (
        "die (my|her|his|your) hair",  # "dye", misspelt
        "drug overdose awareness",
    ),
    RiskCategory.ABUSE: (
        "(drug|alcohol|substance|drink) abuse",
        "abuse (charity|service|awareness|helpline|course|training|group)",
        f"{_SUBJECT} pushed me (to|into)", f"{_SUBJECT} hit me up",
        # Games and closing time: "my grandson beat me at cards", "they kicked me out at five".
        f"{_SUBJECT} (beat|beats|beating) me (at|in|to)", f"{_SUBJECT} (kicked|kicks) me out",
    ),
    RiskCategory.UNWELL_URGENT: (
        # "I'm dying to go to bingo", "dying for a cuppa", "dying of laughter".
        "dying (to|for|of)", "dying (my|her|his|your) (hair|wool)",
        "(tent|roof|ceiling|wall|fence|shed|chair|table|deal|plan|plans|bridge) collapsed",
    ),
    RiskCategory.HELP_ME: (
        # A request for help with something is a question for the team, not an emergency:
        # "can you help me with my phone", "I need help finding the choir", "help yourself".
        f"help (me |us |){_PURPOSE}",
        "(to|will|would|could|might|should|usually|always|often|kindly|gonna|wanna|can|cant|did"
        "|does|didnt|helps|helped|coming to|going to) help (me|us)",
        "emergency (contact|contacts|number|numbers|plan|card|alarm|dentist|appointment"
        "|services number)",
        "in (an|case of|case of an|the event of an) emergency",
        "self help", "help (desk|line|sheet|page|menu)",
    ),
}
# fmt: on

# Words that, just before a match, turn it round: "I haven't fallen", "no chest pain today".
# "no" negates only right before the match (see _negated): "Oh no, I've fallen" is alarm.
_NEGATORS = frozenset((
    "not", "never", "havent", "hasnt", "hadnt", "didnt", "dont", "doesnt", "isnt", "wasnt",
    "arent", "werent", "wont", "wouldnt", "nor", "neither", "without",
))  # fmt: skip
# Words that make a health match a worry rather than an event: "scared I might fall over".
# They do not soften suicide, abuse or a call for help: "I might kill myself" is urgent.
_WORRIES = frozenset((
    "might", "may", "could", "would", "will", "ill", "if", "case", "worried", "worry", "worries",
    "scared", "afraid", "frightened", "fear", "avoid", "prevent", "prevention", "risk",
))  # fmt: skip
_WORRY_CATEGORIES = frozenset(
    {
        RiskCategory.FALL,
        RiskCategory.CHEST_PAIN,
        RiskCategory.STROKE,
        RiskCategory.BREATHING,
        RiskCategory.UNWELL_URGENT,
    }
)
# Words skipped when looking back from a match for a negator or a worry word, so that "I have
# not really fallen" is negated but "I'm not ok, I've fallen" is not: there "ok" stops the look.
_FILLER = frozenset((
    "i", "im", "ive", "id", "me", "my", "a", "an", "the", "to", "of", "about", "been", "be",
    "being", "have", "has", "had", "having", "am", "is", "was", "are", "were", "it", "its", "feel",
    "feeling", "felt", "really", "actually", "ever", "any", "more", "got", "get", "getting", "so",
    "that", "this", "want", "going", "gonna", "wanna", "just", "again", "much", "at", "all",
))  # fmt: skip
_LOOK_BACK = 4
_ASKING = frozenset(("you", "u"))
_PLEASE = frozenset(("please", "pls", "plz", "kindly"))
# Only events clearly older than a day soften: a fall "last night" or "yesterday" can still
# mean someone hurt and alone, so it stays urgent.
_LONG_AGO = PhraseBook(
    (pattern, None)
    for pattern in (
        "last (week|month|year|summer|winter|spring|autumn|christmas|easter)",
        "(weeks|months|years|year|month|ages|while) ago",
        "(a while|a few weeks|years) back",
        "(in the|in my) past",
        "used to",
        "when i was (young|younger|little|a child|a girl|a boy)",
        "earlier this (month|year)",
        "this time last year",
        "(a|one) few (weeks|months|years) ago",
    )
)

# Words that may stand beyond an anchor without changing a phrase: "I want to end it x",
# "oh, on the floor".
_SIGN_OFFS = frozenset((
    "x", "xx", "xxx", "please", "pls", "plz", "now", "love", "thanks", "ta", "oh", "sorry",
    "hello", "hi", "quick", "god",
))  # fmt: skip
_BOOK: PhraseBook[tuple[RiskCategory, str]] = PhraseBook(
    (
        (pattern, (category, kind))
        for category, kinds in _RULES.items()
        for kind, patterns in kinds.items()
        for pattern in patterns
    ),
    ignorable=_SIGN_OFFS,
)
_NOT_RISK_BOOK: PhraseBook[RiskCategory] = PhraseBook(
    ((pattern, category) for category, patterns in _NOT_RISK.items() for pattern in patterns),
    ignorable=_SIGN_OFFS,
)
# Typo targets are long words whose near neighbours are not everyday words. "falling" is not
# one ("calling", "failing"), nor "killing" ("filling", "willing"), nor "stroke" ("strike").
_TYPO_TARGETS = (
    "fallen", "chest", "breathe", "breath", "breathing", "struggling", "suicidal", "suicide",
    "drooping", "slurred", "slurring", "speech", "emergency", "ambulance", "myself", "overdose",
    "unconscious", "collapsed", "bleeding", "hurting", "properly", "breathless",
)  # fmt: skip
# Everyday words one edit from a target, found by checking the 60,000 commonest English words.
_PROTECTED = (
    "fallon", "breach", "breaching", "breadth", "breather", "wreath", "breeding", "blurred",
    "blurring", "spurred", "spurring", "slurped", "slurping", "drooling", "trooping", "hunting",
    "hurling", "hurtling", "emergence", "property", "bleeping", "blending", "overdone",
    "collapse", "collapses",
)  # fmt: skip
_SPELLER = Speller(_BOOK.vocabulary | _NOT_RISK_BOOK.vocabulary, _TYPO_TARGETS, _PROTECTED)


def find_risks(text: str) -> tuple[RiskMatch, ...]:
    """Each kind of risk in `text` once, most pressing first: urgent, then by category.

    Within a kind, the first urgent phrase is kept, else the first phrase.
    """
    said = read_words(text)
    words = _SPELLER.correct(said)
    # Word positions inside an everyday phrase, by category, so that a long message with many
    # of them stays quick to check.
    not_risk: dict[RiskCategory, set[int]] = {}
    for other in _NOT_RISK_BOOK.find(words):
        not_risk.setdefault(other.key, set()).update(range(other.start, other.end))
    long_ago = bool(_LONG_AGO.find(words))
    found: dict[RiskCategory, RiskMatch] = {}
    for hit in _BOOK.find(words):
        category, kind = hit.key
        if not not_risk.get(category, set()).isdisjoint(range(hit.start, hit.end)):
            continue
        if category is RiskCategory.HELP_ME and _negated(words, hit):
            # "I don't need help" or "it's not an emergency" says the opposite of a call for
            # help, and a call for help carries no other content worth a human's look.
            continue
        softened = _softened(words, hit, category) or kind == _CONCERN
        softened = softened or (kind == _EVENT and long_ago)
        match = RiskMatch(category, " ".join(said[hit.start : hit.end]), urgent=not softened)
        earlier = found.get(category)
        if earlier is None or (match.urgent and not earlier.urgent):
            found[category] = match
    order = list(RiskCategory)
    return tuple(sorted(found.values(), key=lambda m: (not m.urgent, order.index(m.category))))


def triage(text: str) -> RiskMatch | None:
    """The most pressing risk `text` signals, or None.

    "help" alone is not a risk here: it is the carrier HELP keyword, answered with the help
    menu before triage runs. A question about help ("what help is there?") is not an
    emergency either; "help me", "please help" and "I need help" are.
    """
    risks = find_risks(text)
    return risks[0] if risks else None


def _softened(
    words: tuple[str, ...], hit: Hit[tuple[RiskCategory, str]], category: RiskCategory
) -> bool:
    if category is RiskCategory.HELP_ME:
        # "Can you help me?" asked of the bot is as likely a request as an emergency: a person
        # still looks, at routine priority. "Can someone help me" stays urgent.
        return _looks_back_to(words, hit, _ASKING, skipping=_PLEASE)
    return _negated(words, hit) or (
        category in _WORRY_CATEGORIES and _looks_back_to(words, hit, _WORRIES)
    )


def _negated(words: tuple[str, ...], hit: Hit[tuple[RiskCategory, str]]) -> bool:
    before = words[: hit.start]
    if before[-1:] == ("no",):
        # "no chest pain", but not "oh no, chest pain": there it is an exclamation.
        return before[-2:-1] not in (("oh",), ("ah",), ("god",))
    return _looks_back_to(words, hit, _NEGATORS)


def _looks_back_to(
    words: tuple[str, ...],
    hit: Hit[tuple[RiskCategory, str]],
    wanted: frozenset[str],
    skipping: frozenset[str] = _FILLER,
) -> bool:
    """Whether the first word before the match that is not skipped is one of `wanted`."""
    for word in reversed(words[max(0, hit.start - _LOOK_BACK) : hit.start]):
        if word in wanted:
            return True
        if word not in skipping:
            return False
    return False


# The fixed replies. Each is one GSM-7 SMS segment (at most 160 characters, straight quotes
# only), says this is not an emergency service, and says a person is being told. Each gives all
# three numbers, 999, NHS 111 and Samaritans, even where one fits the category best: a message
# can be read as the wrong kind of risk, and the numbers are the safety net.
RISK_REPLY = (
    "This is not an emergency service. In an emergency call 999. Urgent medical help: NHS 111."
    " Samaritans: 116 123, free, any time. I'm telling the team now."
)
_REST = (
    " I'm not an emergency service. Urgent medical help: NHS 111. Samaritans: 116 123, free."
    " I'm telling the team now."
)
REPLIES: dict[RiskCategory, str] = {
    RiskCategory.FALL: "If you are hurt or can't get up, call 999." + _REST,
    RiskCategory.CHEST_PAIN: "Chest pain can be serious: call 999." + _REST,
    RiskCategory.STROKE: "Face, arm or speech not right? Call 999." + _REST,
    RiskCategory.BREATHING: "Struggling to breathe? Call 999." + _REST,
    RiskCategory.SUICIDE: (
        "I'm sorry you feel this way. Samaritans: 116 123, free, any time. Emergency: 999."
        " NHS 111: urgent help. I'm not an emergency service. I'm telling the team now."
    ),
    # Nothing here names abuse: the person hurting them may read their phone.
    RiskCategory.ABUSE: "If you are in danger now, call 999." + _REST,
    RiskCategory.UNWELL_URGENT: "Badly hurt or very unwell? Call 999." + _REST,
    RiskCategory.HELP_ME: RISK_REPLY,
}


def risk_reply(risk: RiskMatch | RiskCategory) -> str:
    """The fixed reply to send at once for `risk` (a match, or just its category)."""
    category = risk.category if isinstance(risk, RiskMatch) else risk
    return REPLIES.get(category, RISK_REPLY)
