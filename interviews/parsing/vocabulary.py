"""Word classes the label grammar reads shapes with: roles, generic classes, sentence words.

These are lists of common words (titles, roles, function words), never of people: whether a
label names somebody is decided by its shape, with these words marking the parts.
"""

from __future__ import annotations

# Generic labels: a class of people, never one person across events (casefolded, as printed).
ANONYMOUS_LABELS = frozenset(
    {
        "a",
        "all",
        "answer",
        "audience",
        "audience member",
        "audience members",
        "child",
        "children",
        "comment",
        "comments",
        "correspondent",
        "crowd",
        "follow-up",
        "follow-up question",
        "journalist",
        "journalists",
        "off-mic",
        "participant",
        "participants",
        "q",
        "question",
        "questions",
        "remark",
        "remarks",
        "replies",
        "reply",
        "reporter",
        "reporters",
        "response",
        "speaker",
        "student",
        "students",
        "unidentified speaker",
        "hon. member",
        "hon. members",
        "an hon. member",
        "some hon. members",
        "unknown speaker",
        "voice",
        "voice from the audience",
        "voices",
        "voices from the audience",
        "volunteer",
        "volunteers",
    }
)
# The last word of a label that names a class, not a person: "SENIOR ADMINISTRATION OFFICIAL".
GENERIC_HEADS = frozenset(
    """
    official officials aide aides member members participant participants reporter reporters
    journalist journalists audience crowd child children student students volunteer volunteers
    voice voices attendee attendees resident residents guest guests supporter supporters
    protester protesters heckler hecklers worker workers woman women man men customer customers
    photographer photographers photojournalist fan fans crew
    """.split()
)
# Nouns that start a generic class followed by "from ..." or "of ...": "Question from Kazan".
GENERIC_STARTS = frozenset(
    """
    question questions remark remarks comment comments reply response voice voices
    """.split()
)
# A role standing alone for one person in one event: "Moderator:", "INTERPRETER:".
ROLE_LABELS = frozenset(
    """
    moderator presenter host co-host anchor interviewer interviewee interpreter translator
    operator narrator announcer facilitator emcee chair chairman chairwoman chairperson
    witness
    """.split()
)
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "mme", "prof", "messrs", "mx", "dame", "hon"}
)
# Capitalised words that make up titles and roles, not names.
TITLE_WORDS = frozenset(
    """
    president vice vice-president first lady prime minister director general director-general
    editor editor-in-chief chief deputy head chairman chairwoman chairperson chair secretary
    governor mayor ambassador executive producer presenter host anchor correspondent journalist
    reporter commentator columnist moderator senator spokesman spokeswoman spokesperson press
    adviser advisor assistant aide member professor king queen prince princess sheikh emir
    sultan colonel admiral commander captain founder ceo managing senior principal acting former
    honorary coordinator manager officer leader patriarch metropolitan archbishop bishop
    speaker representative envoy commissioner ombudsman chancellor premier general lieutenant
    major sergeant rabbi mufti imam pope cardinal judge justice attorney congressman
    congresswoman councillor councilor mp deputies cosmonaut astronaut
    """.split()
)
# Words of an office that the label grammar leaves in a name ("ADMINISTRATOR CRISWELL",
# "SURGEON GENERAL MURTHY"): enough to tell an office from a given name in running text.
OFFICE_WORDS = TITLE_WORDS | frozenset({"administrator", "surgeon", "secretary-general"})
# Roles that make the organisation named with them a media outlet.
MEDIA_ROLE_WORDS = frozenset(
    """
    editor editor-in-chief producer presenter host anchor correspondent journalist reporter
    commentator columnist
    """.split()
)
# Words that end the name of an organisation, so a personal name only starts after them.
ORGANISATION_WORDS = frozenset(
    """
    academy agency association authority bank board bureau centre center chamber channel club
    college commission committee company corporation council court department directorate
    federation forum foundation fund group institute institution league ministry museum
    network office organisation organization party region republic school service society
    station team territory theatre theater trust union university fleet army district
    """.split()
)
CONNECTORS = frozenset({"of", "the", "for", "at", "and", "from", "on", "in", "to", "with", "&"})
NAME_PARTICLES = frozenset(
    """
    de da di del della van von der den ten ter bin ibn al el la le du dos das do oglu ogly kyzy y
    """.split()
)
# Words that never occur in a role description but do in sentences.
SENTENCE_WORDS = frozenset(
    """
    i i'm i've i'd i'll we we're you you're me my our ours your yours us he she it it's they
    them this that these those here there there's is are was were be been being am have has had
    would will can could should shall must may might do does did not no don't doesn't didn't
    can't won't isn't aren't wasn't what which who whom whose why how if so but think know want
    let let's look listen say said tell told just very also because when then than only
    """.split()
)
# Function words that are never part of a personal name ("As I", "What I", "Or Reuters").
NAME_BLOCKERS = frozenset(
    """
    i we you he she it they me us them my our your his her its their this that these those is
    are was were am be been have has had do does did would could should shall can not the a an
    as if so but and or nor what which who why how when where there here let like
    """.split()
)
# Titles that qualify another title and cannot stand alone ("First:", "The first:").
TITLE_MODIFIERS = frozenset(
    """
    first vice deputy acting former senior principal managing honorary executive chief general
    press member
    """.split()
)
# Words that open a sentence, never a role description ("About a Disability Ombudsman:").
SENTENCE_STARTS = frozenset(
    """
    about after again also although and another any anyway as at because before besides both
    but by during each either even every except finally firstly for from furthermore given
    hence here however if in instead just lastly let like many meanwhile more moreover most
    much my nevertheless next no nor now of on once one only or other our over perhaps please
    regarding secondly since so some still such than thank thanks that then there therefore
    these this those though thus to today too under unlike until well what when where whereas
    whether which while why with yes yet your okay ok look listen bottom across against along
    among around behind below beneath beside between beyond despite inside near off onto
    outside past since through throughout toward towards upon via within without take
    """.split()
)
# All-caps headings that end in a colon but name nobody ("NOTE:", "UPDATE:").
HEADING_WORDS = frozenset(
    """
    note notes update updates correction corrections transcript background embargoed subject
    re date time location end via photo video watch read more source sources attachment
    fact sheet summary agenda topic topics scene
    """.split()
)
# A screenplay's directions in capitals, never a character: "CUT TO:", "CONTINUED".
SCREEN_DIRECTIONS = frozenset(
    """
    cut fade dissolve smash continued blackout intercut montage flashback credits titles
    superimpose
    """.split()
)
