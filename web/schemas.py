"""The JSON the API accepts, validated before any service sees it, and the JSON it answers.

Text fields must be valid Unicode without control characters (see
:mod:`rules.text`) and are stored NFC-normalised, so Vietnamese words always
compare equal; lengths and dates are bounded so odd input is a 422, never an
error deep in a service.

The ``…Out`` models describe the responses for ``/api/openapi.json``: they
mirror, field for field, the dicts the services' ``as_dict()`` and
``web.queries`` return (the CLI prints the same dicts), so declaring them
changes no byte a client receives. Dates are ``YYYY-MM-DD``; instants are
UTC ISO 8601 (``2024-07-12T16:59:59Z``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rules.specs import EscalationSpec, OutlineSection
from rules.tasks import Status
from rules.text import clean
from services.provision import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_REPORT_BYTES

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def clean_text(value: str) -> str:
    """NFC, valid Unicode, no control characters but tab and newline (:mod:`rules.text`).

    Refusals are :class:`UserError`, a ``ValueError``: pydantic turns them into a
    422 in a schema, and form fields and file names read by hand get a 4xx too.
    """
    return clean(value)


Text = Annotated[str, AfterValidator(clean_text)]
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class AttachmentIn(Strict):
    filename: Annotated[Text, Field(min_length=1, max_length=255)]
    content_type: Annotated[Text, Field(max_length=127)] | None = None
    content_base64: Annotated[str, Field(max_length=(MAX_ATTACHMENT_BYTES + 2) // 3 * 4 + 8)]


class SubmissionIn(Strict):
    """A report version: Markdown/text with the outline's headings, optional attachments."""

    text: Annotated[Text, Field(min_length=1, max_length=MAX_REPORT_BYTES)]
    attachments: Annotated[list[AttachmentIn], Field(max_length=MAX_ATTACHMENTS)] = []


class ReviewIn(Strict):
    """Accept the latest version, or return it with a comment and a new due date."""

    decision: Literal["accept", "return"]
    comment: Annotated[Text, Field(max_length=4000)] | None = None
    new_due_date: Day | None = None
    version: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None,
        description="the version you read: refused (409) if a newer one was sent since",
    )


class ExtensionIn(Strict):
    new_due_date: Day
    reason: Annotated[Text, Field(min_length=1, max_length=4000)]


class CycleIn(Strict):
    """Open a cycle of a program for a period, citing the request letter."""

    program: Annotated[Text, Field(min_length=1, max_length=64)]
    period: Annotated[Text, Field(min_length=1, max_length=16)]
    letter_no: Annotated[Text, Field(max_length=64)] | None = None
    letter_date: Day | None = None
    due: Day | None = None


class RequestIn(Strict):
    """An ad-hoc request (báo cáo đột xuất): the coordinator asks ``bodies`` for a report
    on ``subject`` by letter ``letter_no``, due on ``due`` (moved to a working day) or
    ``within_working_days`` of the letter, exactly one of them. ``outline`` and
    ``escalation`` are validated as a program file's (default: one section, the default
    ladder); review and synthesis follow the deadline in working days."""

    coordinator: Annotated[Text, Field(min_length=1, max_length=64)]
    subject: Annotated[Text, Field(min_length=1, max_length=500)]
    letter_no: Annotated[Text, Field(min_length=1, max_length=64)]
    letter_date: Day | None = None
    due: Day | None = None
    within_working_days: Annotated[int, Field(ge=1, le=120)] | None = None
    bodies: Annotated[
        list[Annotated[Text, Field(min_length=1, max_length=64)]],
        Field(min_length=1, max_length=5000),
    ]
    outline: Annotated[list[OutlineSection], Field(min_length=1, max_length=100)] | None = None
    escalation: EscalationSpec | None = None
    review_working_days: Annotated[int, Field(ge=0, le=60)] = 3
    synthesis_working_days: Annotated[int, Field(ge=0, le=60)] = 2


class SynthesisIn(Strict):
    """Close the cycle; ``leave_out``: bodies to close without, on purpose (see the 409)."""

    leave_out: Annotated[list[Annotated[Text, Field(max_length=64)]], Field(max_length=500)] = []


# -- responses ---------------------------------------------------------------------------

Bucket = Literal["done_on_time", "done_late", "pending", "overdue"]  # = rules.tasks.BUCKETS
TaskStatusOut = Status


class Out(BaseModel):
    """A response: documented field by field; built from the services' dicts."""


class BlockerOut(Out):
    """A body that keeps the cycle from closing: its report waits for review, or it is
    still within its deadline."""

    task: int
    body: str
    name: str
    reason: Literal["awaiting_review", "within_deadline"]
    due_date: date | None


class ErrorOut(Out):
    """Every 4xx (and the rare 5xx): a message for people (a refused synthesis also
    lists the bodies holding the cycle up)."""

    error: str
    blockers: list[BlockerOut] | None = None


class HealthOut(Out):
    status: Literal["ok"]


class MeOut(Out):
    """The account a token belongs to."""

    username: str
    display_name: str
    role: Literal["coordinator", "agency", "viewer"]
    body: str
    body_name: str


class BodyOut(Out):
    """A body of the organisation tree (``parent`` is its parent's code)."""

    code: str
    name: str
    level: str
    parent: str | None
    head_name: str | None
    head_title: str | None
    head_email: str | None
    focal_name: str | None
    focal_email: str | None
    valid_from: date | None
    valid_to: date | None


class OutlineSectionOut(Out):
    """A heading the report must (or may) have."""

    code: str
    title: str
    required: bool


class WorkingDaysOut(Out):
    provide: int
    review: int
    synthesis: int


class LadderStepOut(Out):
    after_working_days: int
    notify: list[str]


class EscalationPolicyOut(Out):
    reminders: list[int]
    ladder: list[LadderStepOut]


class ProgramOut(Out):
    """A recurring reporting requirement: who coordinates it, how often, which outline
    (its current version's terms: the next cycle's; each cycle keeps its own)."""

    code: str
    version: int | None = Field(default=None, description="the current version's number")
    title: str
    legal_basis: str | None
    coordinator: str
    period: str
    schedule: str | None
    bodies: int
    working_days: WorkingDaysOut
    outline: list[OutlineSectionOut]
    escalation: EscalationPolicyOut


class CycleOut(Out):
    """One cycle of a program for one period, with its letter and deadlines."""

    id: int
    ref: str
    program: str
    period: str
    period_label: str
    cutoff_start: date
    cutoff_end: date
    letter_no: str | None
    letter_date: date
    opened_at: datetime
    provide_due: date
    review_due: date
    synthesis_due: date
    provisional: bool = Field(
        default=False, description="a due date lies in a year not yet announced (see tasks)"
    )
    status: Literal["open", "synthesized"]
    parent_cycle_id: int | None = Field(
        default=None, description="the cycle of the level above it was opened under"
    )
    subject: str | None = Field(
        default=None, description="an ad-hoc request's subject (null: a regular period)"
    )


class CycleListItem(CycleOut):
    tasks: int


class CycleInfoOut(CycleOut):
    program_title: str
    legal_basis: str | None
    outline: list[OutlineSectionOut] = Field(description="the outline it was opened with")
    program_version: int = Field(description="the program's version it was opened under")


class ChildCycleOut(Out):
    """A cycle of a feeding program, opened (or adopted) under the one just opened."""

    ref: str
    id: int
    parent: str = Field(description="the cycle above it")
    coordinator: str = Field(description="its coordinator, a body of the cycle above")
    depth: int = Field(description="1 under the cycle opened, 2 under one of those, …")
    tasks: int
    provide_due: date
    review_due: date
    synthesis_due: date
    worked_back: dict[str, Any] | None = Field(
        description="how its dates were counted back from its coordinator's deadline above"
    )
    adopted: bool = Field(description="it was open already, and keeps its own dates")


class DayOffOut(Out):
    """A day not worked, and why: a holiday's name, else its weekend day."""

    date: date
    name: str | None = Field(description="the holiday or decision's name; null: a weekend")
    weekday: str
    reason: str = Field(description="the name, else the weekday, in Vietnamese")
    reason_en: str
    reference: str | None = Field(description="the decision making it a day off, if known")


class MovedDateOut(Out):
    """A typed due date that fell on a day off, moved to the next working day (Civil
    Code art. 148): from what, to what, and why."""

    typed: date
    moved_to: date
    reasons: list[str] = Field(description="why, in Vietnamese: the typed day's reason first")
    reasons_en: list[str]
    days_off: list[DayOffOut] = Field(description="every day off from the typed date on")


MOVED = Field(default=None, description="null, or how the calendar moved the date typed")


class CycleOpenedOut(Out):
    cycle: CycleOut
    tasks: int
    children: list[ChildCycleOut] = Field(
        default=[], description="the cycles of the programs feeding it, at every depth"
    )
    due_moved: MovedDateOut | None = MOVED


class BucketsOut(Out):
    """The four buckets of a set of tasks, their total and the on-time rate."""

    done_on_time: int
    done_late: int
    pending: int
    overdue: int
    total: int
    on_time_rate: float | None


class CycleStats(BucketsOut):
    """The four buckets of one cycle, over the tasks the caller may see;
    ``on_time_rate`` is on time / (sent + past due unsent): a body that never sent
    is not on time; null while nothing is sent or due."""

    cycle: int
    ref: str
    period_label: str
    provide_due: date
    status: Literal["open", "synthesized"]


class TreeCoordinatorOut(Out):
    code: str
    name: str


class TaskAboveOut(Out):
    """A cycle's coordinator's own task in the cycle above (what it sends up)."""

    task: int
    status: TaskStatusOut
    due_date: date
    bucket: Bucket


class TreeCycleOut(Out):
    """One cycle of a roll-up tree, as ``phoihop cycle tree --json`` shows it."""

    id: int
    ref: str
    program: str
    period: str
    period_label: str
    depth: int = Field(description="0 for the tree's top, 1 under it, …")
    parent: str | None = Field(description="the cycle above it")
    coordinator: TreeCoordinatorOut
    level: str = Field(description="its coordinator's level: central, province, commune…")
    provide_due: date
    review_due: date
    synthesis_due: date
    status: Literal["open", "synthesized"]
    buckets: BucketsOut = Field(description="its own tasks")
    buckets_all_levels: BucketsOut = Field(description="its tasks and every cycle's below it")
    task_in_parent: TaskAboveOut | None
    notes: list[dict[str, Any]] = Field(description="what the roll-up recorded on it")


class CycleTreeOut(Out):
    ref: str
    root: str = Field(description="the first cycle listed: the one asked for")
    cycles: list[TreeCycleOut] = Field(description="depth first, each before those below it")


class CycleDetailOut(Out):
    cycle: CycleInfoOut
    progress: CycleStats | None


class BodyStats(BucketsOut):
    """One body across cycles: the four buckets, revision rounds and escalations."""

    body: str
    name: str
    revision_rounds: int
    escalations: int


class TaskOut(Out):
    """A task's summary row: its body, deadline, bucket and escalation level."""

    task: int
    cycle_id: int
    cycle: str
    period_label: str
    cycle_status: Literal["open", "synthesized"]
    body: str
    body_name: str
    status: TaskStatusOut
    due_date: date
    provisional: bool = Field(
        default=False,
        description="the due date lies in a year whose civil-service schedule is not "
        "announced yet: it may move once the year's swaps are decided",
    )
    days_overdue: int
    escalation_level: int
    versions: int
    returns: int
    last_submitted_at: datetime | None
    bucket: Bucket


class TaskPage(Out):
    """One page of tasks and the total they were cut from."""

    items: list[TaskOut]
    total: int
    limit: int | None
    offset: int


class OverduePage(TaskPage):
    """One page of overdue tasks (open cycles), most overdue first."""


class BodyStatsPage(Out):
    """One page of bodies (by code) and the total they were cut from."""

    items: list[BodyStats]
    total: int
    limit: int | None
    offset: int


class TaskSummaryOut(TaskOut):
    program_title: str
    outline: list[OutlineSectionOut]
    letter_no: str | None
    letter_date: date


class AttachmentOut(Out):
    id: int
    filename: str
    content_type: str
    size: int


class ReviewRecord(Out):
    """The coordinator's decision on one version."""

    decision: Literal["accepted", "returned"]
    comment: str | None
    new_due_date: date | None
    reviewed_at: datetime
    reviewer: str


class VersionOut(Out):
    """One version sent for a task, without its text."""

    version: int
    submitted_at: datetime
    submitted_by: str
    due_at: datetime
    on_time: bool
    sha256: str
    attachments: list[AttachmentOut]
    review: ReviewRecord | None


class SectionOut(Out):
    code: str | None
    title: str | None
    text: str


class SubmissionOut(Out):
    """One version with its text and the sections found in it."""

    version: int
    submitted_at: datetime
    submitted_by: str
    due_at: datetime
    on_time: bool
    content: str
    sections: list[SectionOut]
    sha256: str
    attachments: list[AttachmentOut]
    review: ReviewRecord | None


class ExtensionRecord(Out):
    old_due_date: date
    new_due_date: date
    reason: str
    granted_at: datetime
    granted_by: str


class EscalationOut(Out):
    step: str
    kind: Literal["reminder", "escalation"]
    level: int
    fired_at: datetime
    recipients: list[str]
    message: str


class TaskDetailOut(Out):
    task: TaskSummaryOut
    versions: list[VersionOut]
    extensions: list[ExtensionRecord]
    escalations: list[EscalationOut]


class SubmittedOut(Out):
    """A recorded version (``repeated``: identical to the standing one, nothing new stored)."""

    task: int
    body: str
    version: int
    on_time: bool
    submitted_at: datetime
    due_at: datetime
    sections: list[str]
    attachments: list[str]
    repeated: bool


class ReviewOut(Out):
    """What a review did: the version decided on and the task's due date now."""

    task: int
    body: str
    decision: Literal["accepted", "returned"]
    version: int | None
    due_date: date
    comment: str | None
    due_moved: MovedDateOut | None = MOVED


class ExtensionOut(Out):
    """An extension granted: the new due date and the reason (``comment``)."""

    task: int
    body: str
    decision: Literal["extended"]
    version: None
    due_date: date
    comment: str | None
    below: dict[str, Any] | None = Field(
        default=None,
        description="what it did to the cycle the body runs below (its program's policy)",
    )
    due_moved: MovedDateOut | None = MOVED


class SummaryRowOut(Out):
    body: str
    name: str
    category: str
    label: str
    versions: int
    returns: int
    first_submitted: date | None


class FedOut(Out):
    """A child cycle's report sent up as its coordinator's submission above."""

    parent: str
    task: int
    fed: bool
    version: int | None = None
    on_time: bool | None = None
    due_at: datetime | None = None
    forms: list[str] = []
    reason: str | None = Field(default=None, description="why the cycle above refused it")


class SynthesizedOut(Out):
    cycle: int
    ref: str
    summary: list[SummaryRowOut]
    left_out: list[str]
    fed: FedOut | None = Field(default=None, description="its report, sent to the cycle above")
    children_open: list[int] = Field(
        default=[], description="cycles below still open, each told that this one closed first"
    )


class DraftOut(Out):
    """The report the cycle would close with now (or, once closed, the one it closed with)."""

    cycle: int
    ref: str
    status: str
    markdown: str
    blockers: list[BlockerOut]


class LetterOut(Out):
    """An urging letter (``urging``) to a late body's head, or the leadership's summary of
    one sweep (``summary``); ``number`` is its symbol once numbered (``05-CV/BTGTU``)."""

    id: int
    kind: Literal["urging", "summary"]
    state: str
    cycle: int
    ref: str
    body: str | None
    body_name: str | None
    level: int | None
    number: str | None
    issued_on: date | None
    due_date: date | None
    new_due: date | None
    signer: str | None
    filename: str | None
    sha256: str | None
    error: str | None


class ScoreFigures(Out):
    """A scorecard row's figures. ``on_time_rate`` is done on time / ``counted``, the
    tasks sent or past their deadline: a body that never sent (past due, or its cycle
    closed without its report) is not on time; tasks not yet due and not sent are
    left out (null while there are none). Days late are working days on the
    calendar, over ``late_tasks`` (sent late, or past due unsent up to today or the
    cycle's close)."""

    done_on_time: int
    done_late: int
    pending: int
    overdue: int = Field(description="past the deadline, or in a closed cycle, never sent")
    total: int
    counted: int = Field(description="the rate's denominator: sent, or due and unsent")
    on_time_rate: float | None
    late_tasks: int
    days_late_mean: float | None = Field(description="working days, mean over late_tasks")
    days_late_worst: int = Field(description="working days, the most late task")
    revision_rounds: int = Field(description="returns for supplement")
    escalations: int = Field(description="escalation rungs fired")
    top_level: int = Field(description="the highest escalation level reached (0: none)")
    extensions: int


Trend = Literal["up", "down", "steady"] | None


class ScorePredecessorOut(Out):
    """A body merged into this one (directly or through a chain), whose tasks its
    figures include."""

    body: str
    name: str
    successor: str = Field(description="the body it merged into (the next in the chain)")
    effective_on: date
    decision: str | None


class ScoreBodyOut(ScoreFigures):
    body: str
    name: str
    trend: Trend = Field(description="the last period's on-time rate against the first's")
    predecessors: list[ScorePredecessorOut] = Field(
        default_factory=list, description="merged bodies whose history these figures include"
    )


class ScoreProgramOut(ScoreFigures):
    program: str
    title: str


class ScoreCycleOut(ScoreFigures):
    cycle: int
    ref: str
    program: str
    period: str
    period_label: str
    provide_due: date
    status: Literal["open", "synthesized"]
    from_predecessors: list[str] = Field(
        default_factory=list, description="merged bodies whose tasks in this cycle are counted"
    )


class ScorePeriodOut(ScoreFigures):
    period: str
    period_label: str


class ScoreSeriesOut(ScorePeriodOut):
    from_predecessors: list[str] = Field(
        default_factory=list, description="merged bodies whose tasks this period includes"
    )


class ScoreTrendOut(Out):
    """One body's figures per period, oldest first."""

    body: str
    name: str
    trend: Trend
    series: list[ScoreSeriesOut]


class ScoreFiltersOut(Out):
    program: str | None
    body: str | None
    from_: date | None = Field(alias="from", description="cycles whose period ends from this day")
    to: date | None = Field(description="… up to this day")


class ScorecardOut(Out):
    """Compliance across cycles as the caller may see it: per body (worst first, one
    page), per program, per cycle, per period, in total (every body), and the trend of
    each body of the page."""

    now: datetime
    filters: ScoreFiltersOut
    rate_label: str
    rate_note: str
    days_note: str
    total: ScoreFigures
    bodies: list[ScoreBodyOut] = Field(description="one page of bodies, worst first")
    bodies_total: int = Field(description="the bodies the totals count, over every page")
    limit: int | None
    offset: int
    programs: list[ScoreProgramOut]
    cycles: list[ScoreCycleOut]
    periods: list[ScorePeriodOut]
    trends: list[ScoreTrendOut] = Field(description="the page's bodies, in its order")
