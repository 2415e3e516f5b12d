"""The services' error messages in the user's language, for the command line, the pages
and the API.

The services keep their one wording (English, as the logs and ``--lang en`` show it).
This table gives each message *template* its Vietnamese words: a template is the
service's text with ``{name}`` where the service puts a value. :func:`localize` finds
the template a message was made from, takes the values back out of it and writes them
into the chosen language, with dates as dd/mm/yyyy and statuses in words (never a raw
code such as ``accepted``). Plain data and text, no I/O: ``cli`` and ``web`` both read it.

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

from rules.tasks import LABELS_EN, LABELS_VI, Status

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
    try:
        return LABELS_VI[Status(value)]
    except ValueError:
        return value


def _status_en(value: str) -> str:
    try:
        return LABELS_EN[Status(value)]
    except ValueError:
        return value


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
    # the command line: argparse's usage errors ({reason} is translated in turn) ...
    "argument {argument}: {reason}": "Tham số {argument}: {reason}",
    "the following arguments are required: {names}": "Thiếu tham số bắt buộc: {names}.",
    "unrecognized arguments: {args}": "Không nhận ra tham số: {args}.",
    "invalid choice: {value} (choose from {choices})": (
        "Không có lựa chọn {value} (chọn một trong: {choices})."
    ),
    "expected one argument": "Cần một giá trị.",
    "not allowed with argument {other}": "Không dùng được cùng tham số {other}.",
    "ambiguous option: {option} could match {matches}": (
        "Tùy chọn {option} chưa rõ: có thể là {matches}."
    ),
    "invalid {kind} value: {value}": "Giá trị không hợp lệ: {value}.",
    # ... and the values it converts (commands.argtypes, commands.calendar, rules.timezone)
    "not a whole number: {text}": "{text} không phải là số nguyên.",
    "must not be negative: {value}": "Không được là số âm: {value}.",
    "too large: {text} (at most {limit})": "{text} lớn quá (tối đa {limit}).",
    "an id is at least 1, not {value}": "Mã số (id) phải từ 1 trở lên, không phải {value}.",
    "must be from 1 to {limit}: {value}": "Phải từ 1 đến {limit}: {value}.",
    "must be at least 1 second: {value}": "Phải ít nhất 1 giây: {value}.",
    "must be at least 1: {value}": "Phải ít nhất là 1: {value}.",
    "must be between 1 and 28: {value}": "Phải từ 1 đến 28: {value}.",
    "not a year: {text}": "{text} không phải là năm.",
    "year out of range: {value}": "Năm {value} nằm ngoài khoảng cho phép.",
    "not a comma-separated list of whole numbers: {text}": (
        "{text} không phải là dãy số nguyên cách nhau bởi dấu phẩy."
    ),
    "offsets must not be negative: {text}": "Số ngày lệch giữa các cấp không được âm: {text}.",
    "not an ISO date or date-time: {text}": (
        "{text} không phải là ngày (YYYY-MM-DD) hoặc ngày giờ (YYYY-MM-DDTHH:MM)."
    ),
    # the command line's own checks (commands/, cli, services.crashes)
    "cannot write {path}: no directory {folder}": (
        "Không ghi được {path}: không có thư mục {folder}."
    ),
    "{item} file not found: {path}": "Không tìm thấy tệp {item}: {path}.",
    "{item} not found: {path}": "Không tìm thấy tệp {item}: {path}.",
    "{item} path is a directory: {path}": "{path} là thư mục, không phải tệp {item}.",
    "{item} file {path} is not UTF-8 (byte {byte})": (
        "Tệp {item} {path} không phải văn bản UTF-8 (byte {byte})."
    ),
    "file not found: {path}": "Không tìm thấy tệp: {path}.",
    "{path}: expected a list of signers": "{path}: cần một danh sách người ký.",
    "{path}: no signers in the file": "{path}: tệp không có người ký nào.",
    "the two passwords differ": "Hai lần nhập mật khẩu không khớp nhau.",
    "no password on standard input": "Không có mật khẩu ở đầu vào chuẩn (stdin).",
    "unexpected {kind}: {problem}. Details: {path}": (
        "Lỗi ngoài dự kiến ({kind}: {problem}). Chi tiết: {path}"
    ),
    "unexpected {kind}. Details: {path}": "Lỗi ngoài dự kiến ({kind}). Chi tiết: {path}",
    "the database refused the operation ({cause}); nothing was changed. Details: {path}": (
        "Cơ sở dữ liệu từ chối thao tác ({cause}); không có gì thay đổi. Chi tiết: {path}"
    ),
    "{reason} (--leave-out {codes})": (
        "{reason} Dùng --leave-out {codes} để khóa kỳ không có các cơ quan này."
    ),
    # services.intake: more of the files as sent
    "{name}: the report is not UTF-8 (byte {byte})": (
        "{name}: báo cáo không phải văn bản UTF-8 (byte {byte})."
    ),
    "{name}: the text is in a legacy Vietnamese encoding (TCVN3/VNI), not Unicode; "
    "convert it to Unicode (e.g. Unikey's converter) and send it again": (
        "{name}: văn bản dùng bảng mã tiếng Việt cũ (TCVN3/VNI), không phải Unicode; hãy chuyển "
        "sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi gửi lại."
    ),
    "{name}: the text uses the legacy font {font} (TCVN3/VNI), not Unicode; convert "
    "it to Unicode (e.g. Unikey's converter) and send it again": (
        "{name}: văn bản dùng phông chữ cũ {font} (TCVN3/VNI), không phải Unicode; hãy chuyển "
        "sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi gửi lại."
    ),
    "{name}: a PDF is not read as a report; send the {what} file and attach the PDF": (
        "{name}: không đọc tệp PDF như một báo cáo; hãy gửi tệp {what} và đính kèm tệp PDF."
    ),
    "{name}: an Excel workbook is a data form, not a report (use --form)": (
        "{name}: tệp Excel là biểu số liệu, không phải báo cáo (dùng --form)."
    ),
    "{name}: not a Word (.docx) document": "{name}: không phải văn bản Word (.docx).",
    # services.loaders and rules.specs: the input files' lines
    "{path} line {line}: more values than columns": "{path} dòng {line}: nhiều giá trị hơn số cột.",
    "{path} line {line}: malformed YAML: {problem}": (
        "{path} dòng {line}: YAML sai cú pháp ({problem})."
    ),
    "{path}: malformed YAML: {problem}": "{path}: YAML sai cú pháp ({problem}).",
    "{path} line {line}: {field}: {reason}": "{path} dòng {line}, trường «{field}»: {reason}",
    "{path} item {line}: {field}: {reason}": "{path} mục {line}, trường «{field}»: {reason}",
    "not an e-mail address: {text}": "{text} không phải là địa chỉ thư điện tử.",
    "level must be one of {choices}": "Cấp phải là một trong: {choices}.",
    "role must be one of {choices}": "Vai trò phải là một trong: {choices}.",
    "valid_to is before valid_from": "valid_to (đến ngày) trước valid_from (từ ngày).",
    # services.settings: the environment
    "{name}={quoted} is not valid: expected {expects}": (
        "{name}={quoted} không hợp lệ: cần {expects}."
    ),
    # services.cycles and services.registry: naming things
    "a cycle is named by its id or PROGRAM/PERIOD, not {ref}": (
        "Kỳ báo cáo được gọi bằng mã số (id) hoặc CHƯƠNG_TRÌNH/KỲ, không phải {ref}."
    ),
    "name the task by --task ID, or by --cycle and --body": (
        "Hãy chỉ rõ nhiệm vụ bằng --task ID, hoặc bằng --cycle và --body."
    ),
    "body {code} has no task in cycle {ref}": "Cơ quan {code} không có nhiệm vụ trong kỳ {ref}.",
    "program {program}: {reason}": "Chương trình {program}: {reason}",
    "body(ies) {codes} did not exist on {date}; update the program or the organisation file": (
        "Cơ quan {codes} chưa có vào ngày {date}; hãy cập nhật chương trình hoặc danh sách cơ quan."
    ),
    "program {program} feeds itself through {ref}": (
        "Chương trình {program} báo cáo lên chính nó qua {ref}."
    ),
    "cycle {ref} already belongs under another cycle": "Kỳ {ref} đã thuộc một kỳ cấp trên khác.",
    "body {code}: unknown parent body {parent}": (
        "Cơ quan {code}: không có cơ quan cấp trên {parent}."
    ),
    "program {code} already exists": "Chương trình {code} đã có.",
    "body {code}: a body cannot be its own parent": (
        "Cơ quan {code}: một cơ quan không thể trực thuộc chính nó."
    ),
    "the organisation tree would have a loop: {chain}": "Cây tổ chức sẽ bị khép vòng: {chain}.",
    "level offsets must not be negative: {value}": (
        "Số ngày lệch giữa các cấp không được âm: {value}."
    ),
    "a number of working days must not be negative: {value}": (
        "Số ngày làm việc không được âm: {value}."
    ),
    "not a document number: {text} (e.g. 45 or 45-BC/BTGTU)": (
        "{text} không phải là số văn bản (ví dụ 45 hoặc 45-BC/BTGTU)."
    ),
    "program {code}: unknown body code(s): {codes}": (
        "Chương trình {code}: không có cơ quan mã {codes}."
    ),
    "program {code}: feeds unknown program {other}": (
        "Chương trình {code} báo cáo lên chương trình {other}, nhưng không có chương trình này."
    ),
    "{path}: expected a non-empty list of bodies": "{path}: cần một danh sách cơ quan.",
    "{path}: no bodies in the file": "{path}: tệp không có cơ quan nào.",
    "{path}: body code(s) listed twice: {codes}": "{path}: mã cơ quan bị lặp: {codes}.",
    "{path}: CSV must have a header row with at least code,name,level": (
        "{path}: tệp CSV phải có dòng tiêu đề, tối thiểu gồm code,name,level."
    ),
    "unknown decision {decision}; use {choices}": "Không có quyết định {decision}; dùng {choices}.",
    "unknown letter: {ref}": "Không có công văn {ref}.",
    "unknown period kind {kind}": "Không có loại kỳ {kind}.",
    "not a period kind: {text} (use {choices})": "{text} không phải là loại kỳ (dùng {choices}).",
    "not a period or a date: {text} (use 2024-H1, 2024-Q3, 2024-07, 2024 or YYYY-MM-DD)": (
        "{text} không phải là kỳ hoặc ngày (dùng 2024-H1, 2024-Q3, 2024-07, 2024 hoặc YYYY-MM-DD)."
    ),
    "--from ({start}) is after --to ({end})": "--from ({start}) sau --to ({end}).",
    "number {number} is already in the register; give another": (
        "Số {number} đã có trong sổ đăng ký văn bản; hãy cho số khác."
    ),
    # services.accounts
    "a password needs at least {count} characters": "Mật khẩu cần ít nhất {count} ký tự.",
    "a password has at most {count} characters": "Mật khẩu có tối đa {count} ký tự.",
    "invalid username {username}: 2–64 characters of a-z, 0-9, '.', '_', '-'": (
        "Tên đăng nhập {username} không hợp lệ: 2–64 ký tự a-z, 0-9, «.», «_», «-»."
    ),
    "unknown user: {username}": "Không có tài khoản {username}.",
    "unknown role {role}; use {choices}": "Không có vai trò {role}; dùng {choices}.",
    "user {username} already exists": "Tài khoản {username} đã có.",
    "user {username} is already disabled": "Tài khoản {username} đã bị khóa từ trước.",
    "user {username} is disabled": "Tài khoản {username} đã bị khóa.",
    "a token name needs 1–64 characters": "Tên mã truy cập cần từ 1 đến 64 ký tự.",
    "unknown token: {ref}": "Không có mã truy cập {ref}.",
    "token {ref} is already revoked": "Mã truy cập {ref} đã bị thu hồi từ trước.",
    # services.schema and services.backup: the database and its copies
    "the database is at revision {revision}; run `phoihop db upgrade`": (
        "Cơ sở dữ liệu đang ở phiên bản {revision}; hãy chạy `phoihop db upgrade`."
    ),
    "the database is at revision {revision}, which this phoihop does not know "
    "(its newest is {head}); upgrade phoihop": (
        "Cơ sở dữ liệu đang ở phiên bản {revision}, phiên bản phoihop này không biết (mới nhất "
        "nó biết là {head}); hãy nâng cấp phoihop."
    ),
    "{path} already exists; add --force to replace it": ("{path} đã có; thêm --force để ghi đè."),
    "{path}: no such file": "Không có tệp {path}.",
    "{path} is not a phoihop backup (neither an SQLite file nor a pg_dump archive)": (
        "{path} không phải bản sao lưu của phoihop (không phải tệp SQLite, cũng không phải "
        "bản pg_dump)."
    ),
    "the database {path} is in use by another process; stop `phoihop serve` "
    "(and anything else using it) before restoring": (
        "Cơ sở dữ liệu {path} đang được tiến trình khác dùng; hãy dừng `phoihop serve` (và mọi "
        "chương trình khác đang dùng nó) trước khi khôi phục."
    ),
    "the database {path} is not empty ({tables} hold rows); "
    "add --force to replace everything in it with the backup": (
        "Cơ sở dữ liệu {path} đã có dữ liệu ({tables}); thêm --force để thay toàn bộ bằng "
        "bản sao lưu."
    ),
    # commands.serve and commands.worker
    "cannot serve the web face on {address}: {problem}": (
        "Không mở được giao diện web ở {address}: {problem}."
    ),
    "cannot serve the web face on {address} (is the port in use?)": (
        "Không mở được giao diện web ở {address} (cổng đang được dùng?)."
    ),
    "several web processes need PostgreSQL; SQLite admits one writer": (
        "Nhiều tiến trình web cần PostgreSQL; SQLite chỉ cho một tiến trình ghi."
    ),
    "--web-workers must be at least 1 (or use --no-web)": (
        "--web-workers phải ít nhất là 1 (hoặc dùng --no-web)."
    ),
    "no Prefect API answers at {url}": "Không có Prefect API nào trả lời ở {url}.",
    "PREFECT_API_URL is not set: point it at the Prefect server "
    "(e.g. http://prefect.example:4200/api)": (
        "Chưa đặt PREFECT_API_URL: hãy trỏ tới máy chủ Prefect (ví dụ "
        "http://prefect.example:4200/api)."
    ),
    "a worker needs the shared database: set PHOIHOP_DATABASE_URL to PostgreSQL "
    "(postgresql+psycopg://…); on one machine with SQLite, use phoihop serve": (
        "Máy thực thi cần cơ sở dữ liệu dùng chung: đặt PHOIHOP_DATABASE_URL là PostgreSQL "
        "(postgresql+psycopg://…); trên một máy với SQLite, hãy dùng phoihop serve."
    ),
}

# Messages some services already write in Vietnamese (the data forms' cell errors)
# pass through as they are: no English words outside quotes, some Vietnamese ones.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\([^)]*\)")
_ENGLISH = re.compile(r"\b(the|is|are|must|not|cannot|needs?|has|be|only|at|per|than|of|a|an)\b")
_VIETNAMESE = re.compile(r"\b(của|không|được|phải|là|có|cần|này|ô|biểu|tệp|dòng|mục|hãy)\b", re.I)


def is_vietnamese(message: str) -> bool:
    bare = _QUOTED.sub(" ", message)
    return bool(_VIETNAMESE.search(bare)) and not _ENGLISH.search(bare)


_ITEMS_VI = {
    "report file": "báo cáo", "report": "báo cáo", "attachment": "đính kèm",
    "form file": "biểu mẫu", "form": "biểu mẫu", "bodies": "danh sách cơ quan",
    "program": "chương trình", "signers": "danh sách người ký",
    "calendar overrides": "điều chỉnh lịch (calendar overrides)",
}  # fmt: skip
_EXPECTS_VI = {
    "an ISO date or date-time, e.g. 2024-07-15T08:00": (
        "ngày (YYYY-MM-DD) hoặc ngày giờ, ví dụ 2024-07-15T08:00"
    ),
    "a folder holding .docx templates": "một thư mục chứa các mẫu .docx",
    "a SQLAlchemy URL such as sqlite:///…/phoihop.db": "một địa chỉ SQLAlchemy như sqlite:///…/phoihop.db",
    "a port number from 1 to 65535": "số cổng từ 1 đến 65535",
    "1 or 0 (true or false)": "1 hoặc 0 (true hoặc false)",
    "input should be 'vi' or 'en'": "'vi' hoặc 'en'",
}


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
    "decision": lambda v: {"return": "Trả lại báo cáo", "extend": "Gia hạn"}.get(v, v),
    "reason": _reason_vi,
    "choices": lambda v: v.replace("'", ""),
    "codes": lambda v: v.replace("(the coordinator)", "(cơ quan chủ trì)"),
    "revision": lambda v: v.replace(" (made by phoihop 0.1)", " (do phoihop 0.1 tạo)"),
    "item": lambda v: _ITEMS_VI.get(v, v),
    "expects": lambda v: (
        _EXPECTS_VI.get(v)
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


def _written(values: dict[str, str], converters: dict[str, Callable[[str], str]]) -> dict:
    """The values in the chosen language, dates as dd/mm/yyyy. A path is kept as it is
    (a file named 2024-07-01.md keeps its name); a reason is a message of its own,
    translated in turn."""
    out = {}
    for name, value in values.items():
        if name.endswith(("path", "quoted")):  # as the user wrote it, quotes and all
            out[name] = value
            continue
        if name.endswith("reason"):
            out[name] = converters.get("reason", dmy)(value)
            continue
        value = _unquoted(value)
        convert = next((f for end, f in converters.items() if name.endswith(end)), None)
        out[name] = dmy(convert(value) if convert else value)
    return out


def for_user(message: str, lang: str, generic: str) -> tuple[str, str | None]:
    """(what to show, the service's own words when they could not be translated):
    a Vietnamese user is never shown an English sentence as the message itself."""
    text = localize(message, lang)
    if text is None:
        return generic, message
    return text, None


def localize(message: str, lang: str) -> str | None:
    """``message`` in ``lang`` (vi or en), dates as dd/mm/yyyy; None when Vietnamese is
    asked for a message the table does not know (the caller shows its generic line)."""
    if is_vietnamese(message):
        return dmy(message)
    found = match(message)
    if lang == "en":
        if found is None:
            return dmy(message)
        english, values = found
        return english.format(**_written(values, _VALUE_EN))
    if found is None:
        return None
    english, values = found
    return VI[english].format(**_written(values, _VALUE_VI))
