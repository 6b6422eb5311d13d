"""Controlled vocabularies: record types, relation roles, languages."""

from django.conf.locale import LANG_INFO
from django.db import models


class DocumentType(models.TextChoices):
    TREATY = "treaty", "treaty"
    SECRET_PROTOCOL = "secret_protocol", "secret protocol"
    AGREEMENT = "agreement", "agreement"
    TELEGRAM = "telegram", "telegram"
    DIRECTIVE = "directive", "directive"
    DECREE = "decree", "decree"
    NEWSPAPER_ARTICLE = "newspaper_article", "newspaper article"
    SPEECH = "speech", "speech"
    LETTER = "letter", "letter"
    MEMORANDUM = "memorandum", "memorandum"
    REPORT = "report", "report"
    MINUTES = "minutes", "minutes"
    DIARY = "diary", "diary"
    PHOTOGRAPH = "photograph", "photograph"
    MAP = "map", "map"
    OTHER = "other", "other"


class EventType(models.TextChoices):
    TREATY_SIGNING = "treaty_signing", "treaty signing"
    NEGOTIATION = "negotiation", "negotiation"
    CONFERENCE = "conference", "conference"
    APPOINTMENT = "appointment", "appointment"
    DISMISSAL = "dismissal", "dismissal"
    ASSASSINATION = "assassination", "assassination"
    MILITARY_OPERATION = "military_operation", "military operation"
    WAR = "war", "war"
    ANNEXATION = "annexation", "annexation"
    MILITARY_COOPERATION = "military_cooperation", "military cooperation"
    FOUNDING = "founding", "founding"
    CLOSURE = "closure", "closure"
    WITHDRAWAL = "withdrawal", "withdrawal"
    DECLARATION = "declaration", "declaration"
    PUBLICATION = "publication", "publication"
    COMING_TO_POWER = "coming_to_power", "coming to power"
    PLANNING = "planning", "planning"
    OTHER = "other", "other"


class Role(models.TextChoices):
    """What a figure did in a document or an event."""

    AUTHOR = "author", "author"
    SIGNATORY = "signatory", "signatory"
    RECIPIENT = "recipient", "recipient"
    SENDER = "sender", "sender"
    PARTICIPANT = "participant", "participant"
    ORGANISER = "organiser", "organiser"
    PERPETRATOR = "perpetrator", "perpetrator"
    VICTIM = "victim", "victim"
    APPOINTEE = "appointee", "appointee"
    SUBJECT = "subject", "subject"
    MENTIONED = "mentioned", "mentioned"


def language_choices():
    """ISO 639 codes Django knows, by English name (callable, so migrations don't copy it)."""
    return sorted(
        (
            (code, info["name"])
            for code, info in LANG_INFO.items()
            if "name" in info and "-" not in code
        ),
        key=lambda choice: choice[1],
    )
