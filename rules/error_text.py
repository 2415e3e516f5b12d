"""The services' error messages in the user's language, for the command line, the pages
and the API.

The services keep their one wording (English, as the logs and ``--lang en`` show it).
This table gives each message *template* its Vietnamese words: a template is the
service's text with ``{name}`` where the service puts a value. :func:`localize` finds
the template a message was made from, takes the values back out of it and writes them
into the chosen language, with dates as dd/mm/yyyy and statuses in words (never a raw
code such as ``accepted``). Plain data and text, no I/O: ``cli`` and ``web`` both read it;
the templates of the command line's own messages are in :mod:`rules.error_text_cli`.

A message no template matches is a message this table does not know yet: in
Vietnamese the pages show the generic line of its status (keeping the service's words
apart, marked as English, so nothing is hidden) and the command line the service's
words themselves; in English it is shown as the service wrote it, with its dates as
dd/mm/yyyy. ``tests/web/test_error_text.py`` checks that every template still matches
a message the code raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from rules.error_text_cli import CLI_VI, EXPECTS_VI, ITEMS_VI
from rules.tasks import status_label

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dmy(text: str) -> str:
    """Every ISO date in ``text`` as dd/mm/yyyy; what only looks like one (2024-13-01,
    a date the user mistyped) is left as typed."""

    def written(m: re.Match[str]) -> str:
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return m[0]
        return f"{m[3]}/{m[2]}/{m[1]}"

    return ISO_DATE.sub(written, text)


def _status_vi(value: str) -> str:
    return status_label(value, "vi")


def _status_en(value: str) -> str:
    return status_label(value, "en")


def _blockers_vi(listed: str) -> str:
    """``task 3 (HDND) waits for review; task 4 (TAND) is within its deadline (12/07/2024)``"""
    listed = re.sub(r"\btask (\d+) ", r"nhiệm vụ \1 ", listed)
    listed = listed.replace(") waits for review", ") đã gửi, chờ xem xét")
    return listed.replace(") is within its deadline (", ") còn trong hạn (đến ")


# English template → Vietnamese template. Values keep their names; a name ending in
# ``status`` is a task status, ``listed`` the bodies holding a synthesis up.
VI: dict[str, str] = {
    # rules.tasks: what a task's state allows
    "the cycle is closed (already synthesized); submissions are not accepted": (
        "Kỳ báo cáo đã tổng hợp và khóa; không nhận thêm báo cáo."
    ),
    "this task's report was already accepted; nothing more to submit": (
        "Báo cáo của nhiệm vụ này đã được tiếp nhận; không cần gửi thêm."
    ),
    "the cycle is closed (already synthesized)": "Kỳ báo cáo đã tổng hợp và khóa.",
    "nothing has been submitted for this task yet": "Cơ quan chưa gửi báo cáo cho nhiệm vụ này.",
    "this task was returned; wait for the body to resubmit": (
        "Báo cáo đã được trả lại; hãy chờ cơ quan gửi lại."
    ),
    "this task's report was already accepted": "Báo cáo của nhiệm vụ này đã được tiếp nhận.",
    "the new due date {date} is in the past": (
        "Hạn mới {date} đã qua; hãy chọn một ngày từ hôm nay."
    ),
    "only a task waiting for the body can be extended (this one is {status})": (
        "Chỉ gia hạn được nhiệm vụ đang chờ cơ quan gửi (nhiệm vụ này: {status})."
    ),
    "an extension must move the due date later than {date}": (
        "Hạn mới phải sau hạn hiện tại ({date})."
    ),
    # services.review
    "a return needs a comment saying what to supplement": (
        "Trả lại báo cáo cần ghi ý kiến nêu rõ nội dung cần bổ sung."
    ),
    "an extension needs a reason": "Gia hạn cần ghi lý do.",
    "a {decision} needs a new due date": "{decision} cần có hạn mới.",
    "version {version} was sent after version {seen}, the one you read; read it before deciding": (
        "Cơ quan đã gửi phiên bản {version} sau phiên bản {seen} mà bạn đã đọc; hãy đọc "
        "phiên bản mới trước khi quyết định."
    ),
    # rules.outline and services.provision: what a report must hold
    "the report is empty: its sections hold only their headings": (
        "Báo cáo chưa có nội dung: các mục mới chỉ có tiêu đề."
    ),
    "the report is empty": "Báo cáo không có nội dung.",
    "the report lacks required outline section(s): {names} "
    "(start each on a line of its own with its number and title, e.g. 'I. …')": (
        "Báo cáo thiếu mục bắt buộc của đề cương: {names} (mỗi mục bắt đầu bằng một dòng "
        "riêng gồm số thứ tự và tiêu đề, ví dụ «I. …»)."
    ),
    "outline section {code} appears twice in the report": (
        "Mục {code} của đề cương xuất hiện hai lần trong báo cáo."
    ),
    "the report is larger than {size} KiB": "Báo cáo dài quá {size} KiB.",
    "at most {count} attachments per version": "Mỗi phiên bản có tối đa {count} tệp đính kèm.",
    "attachment {name} is larger than {size} MiB": "Tệp đính kèm {name} lớn quá {size} MiB.",
    "{name}: the file is larger than {size} MiB": "{name}: tệp lớn quá {size} MiB.",
    "{name}: the report must be UTF-8 text": "{name}: báo cáo phải là văn bản UTF-8.",
    # services.intake: the files as sent
    "{name}: the file is password-protected (encrypted); remove the password "
    "(File → Info → Protect) and send it again": (
        "{name}: tệp có mật khẩu (đã mã hóa); hãy gỡ mật khẩu (File → Info → Protect) rồi gửi lại."
    ),
    "{name}: the file is password-protected; remove the password": (
        "{name}: tệp có mật khẩu; hãy gỡ mật khẩu rồi gửi lại."
    ),
    "{name}: a Word 97–2003 (.doc) or Excel 97–2003 (.xls) file cannot be read; "
    "save it as {what} and send it again": (
        "{name}: không đọc được tệp Word 97–2003 (.doc) hoặc Excel 97–2003 (.xls); hãy lưu "
        "thành {what} rồi gửi lại."
    ),
    "{name}: not a readable {what} file (damaged or not {other})": (
        "{name}: không đọc được tệp {what} (tệp hỏng hoặc không phải {other})."
    ),
    "{name}: not a readable {what} file (a damaged part)": (
        "{name}: không đọc được tệp {what} (một phần của tệp bị hỏng)."
    ),
    "{name}: a macro-enabled file is refused; save it as a plain {what} "
    "(without macros) and send it again": (
        "{name}: không nhận tệp có macro; hãy lưu thành {what} thường (không macro) rồi gửi lại."
    ),
    "{name}: a macro-enabled Word file is refused; save it as .docx and send it again": (
        "{name}: không nhận tệp Word có macro; hãy lưu thành .docx rồi gửi lại."
    ),
    "{name}: not a readable Word file ({problem})": "{name}: không đọc được tệp Word ({problem}).",
    "{name}: a macro-enabled workbook is refused; save it as .xlsx": (
        "{name}: không nhận tệp Excel có macro; hãy lưu thành .xlsx."
    ),
    "at most {count} form workbooks per version": (
        "Mỗi phiên bản có tối đa {count} tệp biểu mẫu Excel."
    ),
    "{what} contains {kind} (U+{code}) at line {line}, column {column}; "
    "only tab and line breaks are allowed": (
        "Nội dung có ký tự điều khiển (U+{code}) ở dòng {line}, cột {column}; chỉ được dùng "
        "ký tự tab và xuống dòng."
    ),
    # services.cycles
    "the letter date {date} is in the future": "Ngày công văn {date} chưa đến.",
    "a cycle of {program} for {period} is already open": (
        "Chương trình {program} đã mở kỳ báo cáo {period}."
    ),
    "program {program} reports by {kind}, not {other}": (
        "Chương trình {program} báo cáo theo kỳ {kind}, không theo {other}."
    ),
    "the due date is before the letter date": "Hạn báo cáo trước ngày công văn.",
    "unknown cycle: {ref}": "Không có kỳ báo cáo {ref}.",
    "unknown task: {ref}": "Không có nhiệm vụ {ref}.",
    "task {ref} has no version {version} (it has {count})": (
        "Nhiệm vụ {ref} không có bản {version} (mới có {count} bản)."
    ),
    "task {ref} has no version {version}": "Nhiệm vụ {ref} không có bản {version}.",
    "version 1 of task {ref} is the first; there is nothing before it": (
        "Bản 1 của nhiệm vụ {ref} là bản đầu tiên; không có bản nào trước để so sánh."
    ),
    "unknown program: {code}": "Không có chương trình {code}.",
    "unknown body: {code}": "Không có cơ quan {code}.",
    "program {program} holds ad-hoc requests: open one with phoihop request open": (
        "Chương trình {program} dành cho các yêu cầu báo cáo đột xuất; hãy mở yêu cầu đột xuất."
    ),
    # services.requests and rules.adhoc: ad-hoc requests (báo cáo đột xuất)
    "an ad-hoc request needs a subject": "Yêu cầu báo cáo đột xuất cần có nội dung (trích yếu).",
    "the subject is longer than {count} characters": "Trích yếu dài quá {count} ký tự.",
    "an ad-hoc request needs the number of its letter": (
        "Yêu cầu báo cáo đột xuất cần có số công văn."
    ),
    "an ad-hoc request needs at least one body": (
        "Yêu cầu báo cáo đột xuất cần ít nhất một cơ quan báo cáo."
    ),
    "body(ies) listed twice: {codes}": "Cơ quan được nêu hai lần: {codes}.",
    "the coordinator cannot also be a reporting body": (
        "Cơ quan chủ trì không thể đồng thời là cơ quan báo cáo."
    ),
    "coordinator {code} did not exist on {date}": (
        "Cơ quan chủ trì {code} chưa (hoặc không còn) tồn tại vào ngày {date}."
    ),
    "unknown body code(s): {codes}": "Không có cơ quan: {codes}.",
    "body(ies) {codes} did not exist on {date}": (
        "Cơ quan {codes} chưa (hoặc không còn) tồn tại vào ngày {date}."
    ),
    "program {code} is a regular program; ad-hoc requests of {body} need that code free": (
        "Mã {code} đã là một chương trình định kỳ; yêu cầu đột xuất của {body} cần mã này."
    ),
    "program {code} was being made by another request at the same moment; try again": (
        "Chương trình {code} đang được tạo bởi một yêu cầu khác cùng lúc; xin thử lại."
    ),
    "letter {letter} already opened the ad-hoc request {ref}": (
        "Công văn {letter} đã mở yêu cầu báo cáo đột xuất {ref}."
    ),
    "give the deadline either as a date or as a number of working days": (
        "Hãy cho hạn báo cáo bằng một ngày hoặc bằng số ngày làm việc (một trong hai)."
    ),
    "the due date {date} is already past": "Hạn báo cáo {date} đã qua.",
    "the due date must come after the letter date": "Hạn báo cáo phải sau ngày công văn.",
    "the deadline is 1 to {limit} working days from the letter, not {count}": (
        "Hạn báo cáo từ 1 đến {limit} ngày làm việc kể từ ngày công văn, không phải {count}."
    ),
    "{count} working days from the letter of {date} ended on {end}, already past": (
        "{count} ngày làm việc kể từ công văn ngày {date} đã hết vào ngày {end}."
    ),
    "the {stage} takes 0 to 60 working days, not {count}": (
        "Thời gian {stage} từ 0 đến 60 ngày làm việc, không phải {count}."
    ),
    "more than {limit} ad-hoc requests in {year}": (
        "Quá {limit} yêu cầu báo cáo đột xuất trong năm {year}."
    ),
    "the outline: {field}: {problem}": "Đề cương không hợp lệ ở «{field}»: {problem}.",
    "the outline: {problem}": "Đề cương không hợp lệ: {problem}.",
    "not the coordinator": "Không phải cơ quan chủ trì.",
    # services.registry: program update (the CLI's; here for the same words everywhere)
    "program {code} holds ad-hoc requests: each request states its own "
    "outline and ladder (phoihop request open)": (
        "Chương trình {code} dành cho yêu cầu đột xuất: mỗi yêu cầu có đề cương và thang "
        "đôn đốc riêng."
    ),
    "program {code}: bodies {codes} take part in its cycles and cannot be removed by an update": (
        "Chương trình {code}: các cơ quan {codes} đang tham gia các kỳ báo cáo, không bỏ ra "
        "được khi cập nhật."
    ),
    "program {code}: its coordinator cannot change (it is not {body}); register a new program": (
        "Chương trình {code}: không đổi được cơ quan chủ trì (không phải {body}); hãy đăng ký "
        "chương trình mới."
    ),
    "program {code} reports by {kind}, not {other}; register a new program": (
        "Chương trình {code} báo cáo theo kỳ {kind}, không theo {other}; hãy đăng ký "
        "chương trình mới."
    ),
    "program {code}: the program it feeds cannot change by an update": (
        "Chương trình {code}: không đổi được chương trình cấp trên khi cập nhật."
    ),
    "program {code}: its data forms cannot change by an update (reports already sent carry them)": (
        "Chương trình {code}: không đổi được biểu mẫu khi cập nhật (các báo cáo đã gửi "
        "dùng biểu mẫu này)."
    ),
    # rules.org and services.succession: the tree's parents and the mergers
    "body {code}: a body cannot be merged into itself": (
        "Cơ quan {code} không thể sáp nhập vào chính nó."
    ),
    "the mergers would form a loop: {loop}": ("Các quyết định sáp nhập sẽ bị khép vòng: {loop}."),
    "the merger of {code} into {successor} on {date} is recorded under another decision "
    "({decision}); a recorded merger is not changed": (
        "Việc sáp nhập {code} vào {successor} từ ngày {date} đã được ghi theo một quyết "
        "định khác ({decision}); không sửa việc sáp nhập đã ghi."
    ),
    "body {code} already merged into {successor} on {date}: a body has one successor": (
        "Cơ quan {code} đã sáp nhập vào {successor} từ ngày {date}; mỗi cơ quan chỉ có một "
        "cơ quan kế nhiệm."
    ),
    "body {code} does not exist on {date}: it cannot take over from {predecessor}": (
        "Cơ quan {code} không tồn tại vào ngày {date}, nên không thể tiếp nhận {predecessor}."
    ),
    "body {code} only starts on {start}: it cannot merge on {date}": (
        "Cơ quan {code} chỉ bắt đầu từ ngày {start}, nên không thể sáp nhập vào ngày {date}."
    ),
    "name at least one body to merge": "Hãy nêu ít nhất một cơ quan được sáp nhập.",
    "this task was handed over to the body's successor; its task carries on": (
        "Nhiệm vụ này đã bàn giao cho cơ quan kế nhiệm; cơ quan kế nhiệm tiếp tục thực hiện "
        "nhiệm vụ của mình."
    ),
    # rules.periods
    "not a reporting period: {spec} (use {forms})": (
        "{spec} không phải là kỳ báo cáo (dùng dạng {forms})."
    ),
    "not a reporting period: {spec} (month must be 01–12)": (
        "{spec} không phải là kỳ báo cáo (tháng từ 01 đến 12)."
    ),
    # services.synthesis and rules.report
    "cycle {ref} was already synthesized": "Kỳ báo cáo {ref} đã được tổng hợp.",
    "cycle {ref} has not been synthesized yet": "Kỳ báo cáo {ref} chưa được tổng hợp.",
    "not a body of this cycle: {codes}": "Không phải cơ quan của kỳ báo cáo này: {codes}.",
    "{codes} does not hold up the synthesis; leave out only bodies that do": (
        "{codes} không làm chậm việc tổng hợp; chỉ bỏ ra những cơ quan còn chờ."
    ),
    "the cycle cannot be closed yet: {listed}. Review them, wait for them, "
    "or leave them out on purpose": (
        "Chưa thể khóa kỳ: {listed}. Hãy xem xét, chờ, hoặc chủ động không đưa các cơ quan "
        "này vào tổng hợp."
    ),
    # the pages' own checks (web.pages)
    "choose a program": "Hãy chọn chương trình báo cáo.",
    "a cycle needs a period, e.g. 2024-H1": "Hãy nhập kỳ báo cáo, ví dụ 2024-H1.",
    "choose accept or return": "Hãy chọn tiếp nhận hoặc trả lại.",
    "not a valid date (YYYY-MM-DD): {text}": "{text} không phải là ngày hợp lệ (ngày/tháng/năm).",
    "the date {text} is out of range": "Ngày {text} nằm ngoài khoảng cho phép.",
    "{name}: at most {limit} characters": "Trường «{name}» có tối đa {limit} ký tự.",
    # the accounts page's own checks (web.accounts_pages); services.accounts' messages
    # are the command line's (rules.error_text_cli)
    "you cannot disable your own account; ask another coordinator or the operator": (
        "Không thể tự khóa tài khoản của mình; hãy nhờ một tài khoản chủ trì khác của cơ quan "
        "hoặc quản trị hệ thống."
    ),
    "a coordinator gives only the roles {roles}; "
    "a leadership account is made by the operator (phoihop users add)": (
        "Cơ quan chủ trì chỉ cấp được vai trò {roles}; tài khoản lãnh đạo do quản trị hệ "
        "thống tạo (phoihop users add)."
    ),
    # web: refusals, tokens, sizes, malformed requests
    "forbidden": "Không có quyền truy cập.",
    "a bearer token is required (Authorization: Bearer <token>)": (
        "Cần mã truy cập (Authorization: Bearer <mã>)."
    ),
    "invalid, revoked or disabled token": "Mã truy cập sai, đã thu hồi hoặc tài khoản bị khóa.",
    "request body larger than {size} bytes": "Nội dung gửi lên lớn quá {size} byte.",
    "invalid Content-Length": "Độ dài nội dung (Content-Length) không hợp lệ.",
    "invalid request: {field}: {problem}": "Yêu cầu không hợp lệ ở trường «{field}».",
    "internal error": "Lỗi hệ thống; xin thử lại sau hoặc báo cho quản trị.",
    "Not Found": "Không tìm thấy.",
    "Method Not Allowed": "Thao tác không hợp lệ ở địa chỉ này.",
    **CLI_VI,  # the messages the command line meets most: rules.error_text_cli
}

# Messages some services already write in Vietnamese (the data forms' cell errors)
# pass through as they are: no English words outside quotes, some Vietnamese ones.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\([^)]*\)")
_ENGLISH = re.compile(r"\b(the|is|are|must|not|cannot|needs?|has|be|only|at|per|than|of|a|an)\b")
_VIETNAMESE = re.compile(r"\b(của|không|được|phải|là|có|cần|này|ô|biểu|tệp|dòng|mục|hãy)\b", re.I)


def is_vietnamese(message: str) -> bool:
    bare = _QUOTED.sub(" ", message)
    return bool(_VIETNAMESE.search(bare)) and not _ENGLISH.search(bare)


def _reason_vi(value: str) -> str:
    """An argparse reason (``argument --due: <reason>``), itself a known message."""
    found = match(value)
    if found is None:
        return dmy(value)
    english, values = found
    return VI[english].format(**_written(values, _VALUE_VI))


# How values are written in each language, by the name's ending.
_VALUE_VI: dict[str, Callable[[str], str]] = {
    "status": _status_vi,
    "listed": _blockers_vi,
    "forms": lambda v: v.replace(" or ", " hoặc "),
    "decision": lambda v: {
        "return": "Trả lại báo cáo",
        "extend": "Gia hạn",
        "none named": "không nêu quyết định",
    }.get(v, v),
    "stage": lambda v: {"review": "xem xét", "synthesis": "tổng hợp"}.get(v, v),
    "reason": _reason_vi,
    "choices": lambda v: v.replace("'", ""),
    "codes": lambda v: v.replace("(the coordinator)", "(cơ quan chủ trì)"),
    "revision": lambda v: v.replace(" (made by phoihop 0.1)", " (do phoihop 0.1 tạo)"),
    "item": lambda v: ITEMS_VI.get(v, v),
    "expects": lambda v: (
        EXPECTS_VI.get(v)
        or v.replace(
            "a sqlite:// or postgresql:// URL, not",
            "một địa chỉ sqlite:// hoặc postgresql://, không phải",
        )
    ),
}
_VALUE_EN: dict[str, Callable[[str], str]] = {"status": _status_en}


@dataclass(frozen=True)
class _Template:
    english: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]


def _compile(template: str) -> _Template:
    parts = re.split(r"\{(\w+)\}", template)
    regex, names = "", []
    for n, part in enumerate(parts):
        if n % 2:
            names.append(part)
            # a code is one word: "program {program}: {reason}" must not take a sentence
            one_word = part.endswith(("code", "program"))
            regex += f"(?P<{part}>\\S+?)" if one_word else f"(?P<{part}>.+?)"
        else:
            regex += re.escape(part)
    return _Template(template, re.compile(regex + r"\Z", re.DOTALL), tuple(names))


@cache
def _templates() -> tuple[_Template, ...]:
    # the most specific first: the most literal text (values left out)
    compiled = [_compile(t) for t in VI]
    return tuple(sorted(compiled, key=lambda t: -len(re.sub(r"\{\w+\}", "", t.english))))


def match(message: str) -> tuple[str, dict[str, str]] | None:
    """The template ``message`` was made from and its values, if the table knows it."""
    for template in _templates():
        found = template.pattern.match(message)
        if found:
            return template.english, found.groupdict()
    return None


def _unquoted(value: str) -> str:
    """``'x'`` → ``x``; ``'a', 'b'`` (a list of choices) keeps its quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1] if value[0] not in value[1:-1] else value
    return value


def _written(
    values: dict[str, str], converters: dict[str, Callable[[str], str]], *, unquote: bool = True
) -> dict:
    """The values in the chosen language, dates as dd/mm/yyyy. A path is kept as it is
    (a file named 2024-07-01.md keeps its name); a reason is a message of its own,
    translated in turn. ``unquote=False`` keeps a value's quotes unless it is put in
    words (a status)."""
    out = {}
    for name, value in values.items():
        if name.endswith(("path", "quoted")):  # as the user wrote it, quotes and all
            out[name] = value
            continue
        if name.endswith("reason"):
            out[name] = converters.get("reason", dmy)(value)
            continue
        convert = next((f for end, f in converters.items() if name.endswith(end)), None)
        if convert is None and not unquote:
            out[name] = dmy(value)
            continue
        value = _unquoted(value)
        out[name] = dmy(convert(value) if convert else value)
    return out


def for_user(message: str, lang: str, generic: str) -> tuple[str, str | None]:
    """(what to show, the service's own words when they could not be translated):
    a Vietnamese user is never shown an English sentence as the message itself."""
    text = localize(message, lang)
    if text is None:
        return generic, message
    return text, None


def localize(message: str, lang: str, *, as_written: bool = False) -> str | None:
    """``message`` in ``lang`` (vi or en), dates as dd/mm/yyyy; None when Vietnamese is
    asked for a message the table does not know (the caller shows its generic line).

    In English a status is put in words too; the pages drop the quotes around a value,
    and ``as_written`` keeps them: the command line's English is the service's words as
    scripts and logs were written against (cli.error_line)."""
    if is_vietnamese(message):
        return dmy(message)
    found = match(message)
    if lang == "en":
        if found is None:
            return dmy(message)
        english, values = found
        return english.format(**_written(values, _VALUE_EN, unquote=not as_written))
    if found is None:
        return None
    english, values = found
    return VI[english].format(**_written(values, _VALUE_VI))
