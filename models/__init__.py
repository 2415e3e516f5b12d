"""SQLModel tables. Importing this package registers every table on the metadata."""

from models.audit import AuditRecord
from models.auth import ApiToken, LoginThrottle, User, WebSession
from models.cycle import Cycle, Task
from models.documents import Document, NumberSeries, OfficeHolder, OutboxAttachment, RegisterEntry
from models.escalation import Escalation, Notification
from models.forms import FormEntry, ProgramForm
from models.org import Body
from models.program import Program, ProgramBody, ProgramVersion
from models.relay import EventCursor
from models.submission import (
    Attachment,
    Extension,
    Review,
    Submission,
    SubmissionSource,
    Synthesis,
)
from models.succession import Handover, Succession

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditRecord",
    "Body",
    "Cycle",
    "Document",
    "Escalation",
    "EventCursor",
    "Extension",
    "FormEntry",
    "Handover",
    "LoginThrottle",
    "Notification",
    "NumberSeries",
    "OfficeHolder",
    "OutboxAttachment",
    "Program",
    "ProgramBody",
    "ProgramForm",
    "ProgramVersion",
    "RegisterEntry",
    "Review",
    "Submission",
    "Succession",
    "SubmissionSource",
    "Synthesis",
    "Task",
    "User",
    "WebSession",
]
