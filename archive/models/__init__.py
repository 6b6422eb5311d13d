"""The archive's records; one module per kind, re-exported here."""

from .authorities import Organization, Place, Source, SourceType, Topic
from .base import AlternativeName, Citation, Record, RecordQuerySet, Status
from .documents import Document, DocumentFigure, DocumentImage
from .events import Event, EventFigure
from .figures import Figure, Position
from .vocabularies import DocumentType, EventType, Role

__all__ = [
    "AlternativeName",
    "Citation",
    "Document",
    "DocumentFigure",
    "DocumentImage",
    "DocumentType",
    "Event",
    "EventFigure",
    "EventType",
    "Figure",
    "Organization",
    "Place",
    "Position",
    "Record",
    "RecordQuerySet",
    "Role",
    "Source",
    "SourceType",
    "Status",
    "Topic",
]
