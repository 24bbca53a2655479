"""The English the engine reads, in one place: every word list a heuristic uses, each defined once.

Grammar comes from spaCy's parse (`rag/reading.py`): who is the subject of a verb, which clause a verb reports,
which words are a person's name and what type of thing a name or number is. What a parse cannot know is which
words *mean* something to the answer policy — that "say", "tell" and "warn" report speech, that "might" hedges,
that "Mr" names a man, that "when" asks for a date — and that is this module: sets of lower-case words and
lemmas, and the few patterns built from them. A new wording, or a new language, is this one file to extend.

Nothing here runs a model or decides anything; `rag/claims.py`, `rag/speakers.py`, `rag/policy.py` and the
others import what they read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# -- function words -------------------------------------------------------------------------------------
# Dropped by keyword matching (BM25, coverage, support): they carry no topic. "says", "article", "author" are in
# it too: every question about an article has them.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t don says said say tell told according article author
    does did""".split()
)

# French function words, dropped the same way (`../shared/cases/francais.txt`: "Qui est la directrice de la
# bibliothèque ?" is about "directrice" and "bibliothèque"). Words that are also English content words are left
# out ("son", "plus", "car", "un" as in the UN).
FRENCH_WORDS = frozenset(
    """le la les l une des du de d au aux et ou est sont été être ont avait avoir ce cet cette ces il elle ils
    elles nous vous je tu me te se lui leur leurs en ne pas que qu qui quoi quel quelle quels quelles dont où
    dans par pour sur avec sans sous chez entre vers mais donc ni sa ses mon ma mes ta tes notre nos votre vos
    c s n m j t à comme aussi très tout tous toute toutes même lors depuis selon combien quand comment
    pourquoi""".split()
)
ENGLISH_WORDS = STOP_WORDS - FRENCH_WORDS  # what tells an English text from a French one
STOP_WORDS = STOP_WORDS | FRENCH_WORDS

# Words that say the opposite of each other: a quote that says one answers "no" to a question that asks the other
# ("Did Maria Okafor lose the election?" — "Maria Okafor won the mayoral election").
OPPOSITES = tuple((frozenset(a.split()), frozenset(b.split())) for a, b in (
    ("win wins won winning defeat defeats defeated beat beats", "lose loses lost losing"),
    ("accept accepts accepted", "reject rejects rejected refuse refuses refused"),
    ("support supports supported back backs backed", "oppose opposes opposed"),
    ("rise rises rose risen increase increases increased grow grows grew", "fall falls fell fallen decrease "
     "decreases decreased drop drops dropped shrink shrank"),
    ("open opens opened", "close closes closed shut"),
    ("alive", "dead died"),
    ("guilty convicted", "innocent acquitted"),
    ("pass passes passed approve approves approved", "fail fails failed"),
))
# Opposites read only through the parse, said of the question's own subject by a linking verb ("are getting rarer"
# for "Are … becoming more common?"; `verdicts.opposes`): as loose words in a quote they say nothing of what is
# asked ("Viruses written to steal money are getting rarer").
PREDICATE_OPPOSITES = OPPOSITES + tuple((frozenset(a.split()), frozenset(b.split())) for a, b in (
    ("common commoner commonest", "rare rarer rarest"),
    ("easy easier easiest simple simpler", "difficult"),
    ("cheap cheaper cheapest", "expensive costly"),
    ("safe safer safest", "dangerous unsafe"),
    ("visible", "invisible"),
    ("legal", "illegal"),
    ("possible", "impossible"),
    ("popular", "unpopular"),
))
# Verbs that only link a subject to what is said of it ("is", "are getting", "became"): the same claim either way.
LINKING_VERBS = frozenset({"be", "become", "get", "grow", "remain", "stay", "seem", "turn", "prove", "appear"})
# Words that give an amount as a bound or a guess ("about 300", "more than 100"): another number does not deny it.
APPROXIMATE_WORDS = frozenset({"about", "around", "some", "nearly", "almost", "roughly", "approximately", "over",
                               "under", "more", "less", "fewer", "least", "most", "up", "than", "above", "below",
                               "exceeding", "estimated"})
# Words that make a comparison go the other way ("less common" is "rarer"): no opposite is read through them.
LESSER_WORDS = frozenset({"less", "least", "fewer", "fewest"})

# -- people ---------------------------------------------------------------------------------------------
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
GROUP_PRONOUNS = frozenset({"we", "us", "our", "they", "them", "their"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
THING_PRONOUNS = frozenset({"it", "its"}) | DEMONSTRATIVES
# Words before a name that say whether the person is a man or a woman ("Mr Howard" is a "he").
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother", "mister"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "lady", "dame", "queen", "princess", "mother",
                           "sister", "madam"})
TITLES = MALE_TITLES | FEMALE_TITLES | frozenset({"dr", "dr.", "prof", "prof.", "president", "minister",
                                                   "councillor", "senator", "judge", "chairman", "dj"})
# Words between two names of one person ("DJ Norman Cook - aka Fatboy Slim").
ALIAS_WORDS = frozenset({"aka", "a.k.a.", "a.k.a", "also known as", "known as", "better known as", "alias",
                         "otherwise known as"})
# Lower-case parts of names ("Qais al-Khazali", "Guido van Rossum"), which a capitalised run must not stop at.
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "van", "von", "de", "da", "di", "du", "le", "la"})
# Nouns that describe a person without naming one ("a spokesman for the Home Office", "one Iraqi woman"): a
# sentence whose subject is one of these is about that person, and a "he" or "she" in the next sentence may be
# them. Compounds ending in "-man", "-woman", "-person" count too (chairman, businesswoman, spokesperson).
PERSON_NOUNS = frozenset("""spokesman spokeswoman spokesperson official analyst expert chairman chairwoman chair chief
head director minister secretary president leader member officer lawyer adviser advisor economist researcher
scientist professor doctor manager executive consultant fan woman man girl boy friend resident witness source
insider campaigner critic supporter voter worker teacher student mother father sister brother son daughter wife
husband uncle aunt neighbour neighbor colleague employee owner founder engineer detective judge senator governor
mayor councillor commissioner ambassador diplomat soldier coach player captain psychologist journalist reporter
editor correspondent columnist commentator observer activist organiser organizer victim survivor relative
patient prisoner suspect person representative negotiator inspector investigator surgeon nurse
lecturer historian biographer author writer singer guitarist drummer bassist musician actor actress presenter
producer novelist poet""".split())
MALE_NOUNS = frozenset({"man", "boy", "father", "brother", "son", "husband", "uncle", "actor", "king", "prince",
                        "gentleman", "nephew", "grandfather"})
FEMALE_NOUNS = frozenset({"woman", "girl", "mother", "sister", "daughter", "wife", "aunt", "actress", "queen",
                          "princess", "lady", "niece", "grandmother"})
PERSON_NOUN_ENDINGS = ("man", "woman", "person")  # chairman, businesswoman, spokesperson
MALE_NOUN_ENDING, FEMALE_NOUN_ENDING = "man", "woman"
UNGENDERED_NOUNS = frozenset({"human"})  # ends in "man", names no man
# Who "the author" is, in a question ("What does the writer conclude?").
AUTHOR_NOUNS = frozenset({"author", "writer", "analyst", "columnist", "journalist"})

# -- speech ---------------------------------------------------------------------------------------------
# Lemmas of verbs that report what someone says or thinks ("X said …", "…, he warned", "X, who told …").
SPEECH_VERBS = frozenset(
    """say tell state claim explain add remark argue ask reply answer insist note admit deny warn believe think
    hope stress declare announce suggest write conclude emphasize emphasise recall predict describe call accuse
    urge comment acknowledge confirm report estimate forecast agree complain joke concede observe maintain
    contend assert reveal promise disagree plead beg appeal praise criticise criticize blame point laud hail applaud
    condemn denounce""".split()
)
# Verbs of speech whose "as" phrase is what was said of their object ("described her decision as impulsive", "hailed
# the deal as a breakthrough", "lauded the move as an important step forward").
AS_SAYING_VERBS = frozenset({"describe", "call", "praise", "laud", "hail", "applaud", "condemn", "denounce",
                             "criticise", "criticize"})
# Verbs of speech that name whom they are said to ("told the PSF", "warned the committee", "assured their
# populations"): a question that names that person asks what was said to them, not to someone else.
ADDRESSING_VERBS = frozenset({"tell", "warn", "assure", "reassure", "inform", "advise", "remind", "notify", "promise",
                              "urge", "brief"})
# Verbs that ask, and the words that open what they ask ("asks if it is true that …"): what is asked is not said.
ASKING_VERBS = frozenset({"ask", "wonder", "question", "query", "inquire", "enquire"})
ASKING_MARKS = frozenset({"if", "whether"})
# An answer's frame that reports the article rather than naming anyone ("The article states that she …"): the
# sources and the verbs it uses. Subject pronouns that stand for one person ("He had been mayor …").
FRAME_SOURCES = ("article", "text", "author", "writer")
FRAME_VERBS = ("states", "says", "notes", "reports", "mentions", "explains", "writes")
PERSON_SUBJECTS = ("he", "she")
# The articles that open a description set beside a name ("James Moreau, a local fisherman").
ARTICLES = ("a", "an", "the")
# Verbs of a request, not of a statement: "Iran asked them to stop" reports what al-Khazali says Iran wanted,
# not words of Iran's to quote. Read as speech in an article, not as whose statement a question or answer names.
REQUEST_VERBS = frozenset({"ask", "beg", "plead", "appeal", "urge", "promise"})
# Forms of those verbs as a question asks with them ("Who says …?", "Who has claimed …?"), for the few question
# shapes still read as patterns; inflections of the lemmas above.
SPEECH_FORMS = frozenset(
    """says said say states stated claims claimed explains explained adds added remarks remarked argues argued
    asks asked tells told replies replied answers answered insists insisted notes noted admits admitted denies
    denied warns warned believes believed thinks thought hopes hoped stresses stressed declares declared
    announces announced suggests suggested writes wrote concludes concluded emphasizes emphasized emphasises
    emphasised insist recalls recalled predicts predicted describes described calls called urges urged
    comments commented acknowledges acknowledged confirms confirmed reports reported estimates estimated agrees
    agreed complains complained jokes joked concedes conceded reveals revealed promises promised disagrees
    disagreed pleads pleaded begs begged appeals appealed praises praised criticises criticised criticizes
    criticized blames blamed saying points pointed holds held lauds lauded hails hailed applauds applauded condemns
    condemned denounces denounced""".split()
)
# How a question says someone said a quotation it asks about ("Did the author write “…”?").
QUOTING_FORMS = SPEECH_FORMS | frozenset({"write", "writes", "wrote", "written"})
# Nouns of something said, that a verb's subject puts out with its content ("Local newspapers have carried stories
# that the ink is harmful", "The ministry issued a statement saying …"): the subject is the one who says it.
SPEECH_NOUNS = frozenset({"story", "report", "claim", "statement", "warning", "allegation", "rumour", "rumor",
                          "announcement", "message", "letter", "complaint", "assurance", "promise"})
# Verbs of an act, not of a statement ("he thanks Iran", told by the author, is his act, not the author's words).
ACT_VERBS = frozenset({"thank", "thanks", "thanked"})
# Words a question uses to ask what someone says, thinks or concludes ("What is the author's view?").
ASKS_SPEECH = SPEECH_VERBS | frozenset({"consider", "find", "expect", "see", "mean", "view", "opinion", "according",
                                        "judge", "rate", "single", "conclude"})

# -- polarity and certainty -----------------------------------------------------------------------------
NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither", "none", "nothing", "nobody", "cannot"})
# Words after a "not" that add rather than deny ("not only …, but also"), and pronouns that deny by themselves
# ("Nobody knows …"): for reading a yes/no question's answer from a sentence (`rag/verdicts.py`).
NEGATION_LIMITERS = frozenset({"only", "just", "merely", "simply", "least", "also", "always", "necessarily",
                               "entirely", "fully", "completely", "quite", "all", "every", "much", "very", "that",
                               "too"})
# What a clause's truth is said with ("a claim that is not true"), the modal verbs that leave a verb undone ("will
# resign", "may resign"), and the marks of a condition ("if he does not pay").
TRUTH_WORDS = frozenset({"true", "false", "correct", "accurate", "right", "wrong", "so", "case"})
MODAL_VERBS = frozenset({"will", "would", "may", "might", "could", "should", "shall", "can", "must"})
CONDITION_MARKS = frozenset({"if", "unless"})
NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "noone", "neither"})
# Verbs that deny what follows them: a "not" on one says it is so ("did not deny that the plan failed").
DENIAL_VERBS = frozenset({"deny", "doubt", "dispute", "reject", "refute", "contest", "question"})
# Words whose "to" verb is only offered, planned or wanted, not done ("the opportunity to sign", "refused to sign").
PLANNING_WORDS = frozenset("""opportunity chance plan offer option right bid attempt effort proposal decision
    permission invitation intention aim hope wish request demand want try intend promise threaten refuse fail
    decline expect propose seek agree ask urge""".split())
HEDGES = frozenset({"might", "maybe", "perhaps", "possibly", "seem", "seems", "seemed", "unsure", "unclear",
                    "whether", "too soon", "still soon", "not sure"})
# Words that soften a claim, for a quote check: a quote that drops one claims more than was said ("might" → "will").
SOFTENERS = HEDGES | frozenset({"may", "could", "probably", "likely", "possible", "possibly", "reportedly",
                                "allegedly", "suggests", "suggested", "appears", "appeared"})

# -- questions ------------------------------------------------------------------------------------------
# What a "yes or no" question opens with (after an opening condition: "If I …, do I have to …?").
YES_NO_OPENERS = frozenset({"is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could",
                            "will", "would", "should", "may", "might"})
CONDITION_OPENERS = frozenset({"if", "when", "once", "unless", "after", "before", "since", "although", "though"})
# Entity types (spaCy's labels) that answer a question word, when the question asks for a name of that kind.
# "who" is a person, or an organisation or group acting as one ("Who is paying for the ink?" → the US
# government); "where" a place; "when" a date or time; "how many/much" a number, amount or share.
PERSON_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC", "ORG"})
TIME_TYPES = frozenset({"DATE", "TIME"})
AMOUNT_TYPES = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"})
NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
# A question asking for a name ("What is the name of …?", "What is she called?").
NAME_WORDS = frozenset({"name", "named", "called", "names"})
QUANTITY_WORDS = frozenset({"many", "much", "old", "long", "often", "far"})
# Determiners that make a noun what a question asks for ("Which URL …?", "What programme …?").
WHICH_WORDS = frozenset({"which", "what"})

# -- numbers and time -----------------------------------------------------------------------------------
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20"}
# Words that state an amount ("three", "a dozen", "twice", "none").
AMOUNT_WORDS = frozenset(NUMBER_WORDS) | frozenset({"thirty", "forty", "fifty", "hundred", "thousand", "million",
                                                    "billion", "dozen", "once", "twice", "half", "none", "no",
                                                    "tens", "dozens", "hundreds", "thousands", "millions", "billions"})
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
TIME_WORDS = frozenset("""since until after before ago now today yesterday week weeks month months year years day
    days decade century morning evening night first last later earlier soon then once when while during""".split())
# Words that give a reason ("because", "in order to", "intended to"), as a pattern: several are phrases.
REASON_WORDS = ("because|since|as a result|consequently|as a consequence|that is why|which is why|due to|owing to|"
                "so that|in order to|therefore|thus|hence|reasons?|why|"
                "caused?|explains?|so as to|for fear|lest|purposes?|with the aim of|"
                "(?:specifically|expressly|solely|intended|meant|aimed)\\s+to")

# -- what a reply says about the article itself ----------------------------------------------------------
# "The excerpts do not mention …", "The author does not provide …": a reply about what the article lacks, which no
# quote can prove (the model declining in its own words).
DOCUMENT_NOUNS = frozenset({"article", "text", "excerpt", "excerpts", "passage", "passages", "author", "writer",
                            "context", "source", "sources"})
DECLINE_VERBS = frozenset({"say", "mention", "provide", "specify", "give", "state", "include", "contain", "indicate",
                           "reveal", "offer", "discuss", "answer", "name", "disclose"})

# -- conversation ---------------------------------------------------------------------------------------
# A question that opens with these leans on the one before ("and what did he say about Iran?").
CONNECTIVES = frozenset({"and", "also", "but", "so", "then", "what about", "how about"})
BACK_REFERENCES = PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | frozenset({"there"})

# -- relations ------------------------------------------------------------------------------------------
# Relations a question asks for one side of ("Where was X born?", "Who heads X?", "How did X react?"): the
# question's words, and the words (Snowball stems are taken by the reader) a quote that states that relation
# uses. A place, person or year next to a different relation ("lives in Qom") answers nothing. Kept as a table:
# the parse finds the question's verb, but which other words state the same relation is knowledge, not grammar.
RELATIONS = (
    ("born birthplace", "born birth birthplace native"),
    ("die died dies death killed assassinated", "die died death dead killed assassinated murdered"),
    ("founded founder founders founding established", "founded founder established formed created started set"),
    ("heads headed leads led chairs chaired", "head headed lead leader led chair chairman director chief"),
    ("conducted", "conducted host hosted"),
    ("belong belongs belonged", "belong member membership"),
    ("married marry wife husband spouse", "married marry wife husband spouse wedding"),
    ("study studied studies graduated graduate educated", "study student graduated university school degree educated"),
    ("end ended ends finish finished", "end ended finish concluded"),
    ("begin began begun start started starts", "begin began begun start started since first launched"),
    ("elected", "elected election vote won"),
    ("appointed nominated", "appointed nominated named picked chose selected"),
    ("designed invented created developed wrote authored",
     "designed invented created developed wrote written author built made"),
    ("live lives lived reside resides resided", "live lived resides home stays"),
    ("won win wins", "won win winner victory"),
    ("signed", "signed signature"),
    ("headquartered headquarters based", "headquartered headquarters based office located"),
    ("react reacted reaction respond responded response", "react reaction respond response replied answered said say"),
)

# -- more question shapes and openers -------------------------------------------------------------------
# Words a sentence may open with that are not names ("However", "Throughout …"), for the capitalised-run reading.
NOT_NAMES = frozenset({"how", "who", "whom", "whose", "according", "i", "yes", "no", "if", "this", "that", "these",
                       "those", "a", "an", "the", "however", "although", "though", "even", "since", "while",
                       "besides", "yet", "still", "thus", "hence", "now", "later", "finally", "moreover", "maybe",
                       "perhaps", "meanwhile", "instead", "unlike", "like", "despite", "thanks", "among", "throughout",
                       "unless", "whether", "as"})
# An opening phrase before a sentence's subject ("In 1995, Guido …", "However, the PSF …").
OPENING_WORDS = ("In", "On", "At", "Since", "After", "Before", "During", "Throughout", "Then", "Later", "However",
                 "Therefore")
# Linking words before a pronoun subject ("Therefore, he might be …", "Thus, he …").
LINKING_WORDS = frozenset({"therefore", "thus", "so", "also", "besides", "however", "now", "then"})
# Pronouns an answer may open with instead of naming anyone ("He did it" names no one).
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
# Who-questions that ask which person ("Which person says …", "Which side …").
WHO_WORDS = ("who", "which person", "which one", "which speaker", "which side")


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of words (longest first, escaped), for the few patterns built from a list."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
