"""The command line's error templates in Vietnamese, beside the services' (rules.error_text).

The command line meets messages the pages never show: argparse's usage errors and the
argument types' reasons, files that are not there, settings, accounts, the schema and
backups, serve and worker. They are templates like the others (``{name}`` where the
message puts a value; :data:`rules.error_text.VI` holds them all), kept here so the
pages' table stays readable. ``tests/web/test_error_text.py`` checks them too.
"""

from __future__ import annotations

CLI_VI: dict[str, str] = {
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
        "Tên đăng nhập {username} không hợp lệ: cần 2–64 ký tự gồm chữ thường không dấu "
        "(a-z), số, dấu chấm, gạch dưới, gạch ngang."
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

# The words of a value, by the template name's ending (rules.error_text._VALUE_VI):
# what kind of file an ``{item}`` is, what a setting ``{expects}``.
ITEMS_VI = {
    "report file": "báo cáo", "report": "báo cáo", "attachment": "đính kèm",
    "form file": "biểu mẫu", "form": "biểu mẫu", "bodies": "danh sách cơ quan",
    "program": "chương trình", "signers": "danh sách người ký",
    "calendar overrides": "điều chỉnh lịch (calendar overrides)",
}  # fmt: skip
EXPECTS_VI = {
    "an ISO date or date-time, e.g. 2024-07-15T08:00": (
        "ngày (YYYY-MM-DD) hoặc ngày giờ, ví dụ 2024-07-15T08:00"
    ),
    "a folder holding .docx templates": "một thư mục chứa các mẫu .docx",
    "a SQLAlchemy URL such as sqlite:///…/phoihop.db": "một địa chỉ SQLAlchemy như sqlite:///…/phoihop.db",
    "a port number from 1 to 65535": "số cổng từ 1 đến 65535",
    "1 or 0 (true or false)": "1 hoặc 0 (true hoặc false)",
    "input should be 'vi' or 'en'": "'vi' hoặc 'en'",
}
