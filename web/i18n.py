"""Page text in Vietnamese (the default) and English, and dates as people write them here.

The language comes from ``?lang=`` (remembered in a cookie), else the cookie,
else Vietnamese. Dates are dd/mm/yyyy; instants are shown in local time
(Asia/Ho_Chi_Minh) whatever the server's time zone.
"""

from __future__ import annotations

from typing import Any

from rules import scorecard
from rules.messages import describe_event
from rules.reading_diff import CHANGE_LABELS_EN, CHANGE_LABELS_VI
from rules.specs import LEVEL_VI
from rules.tasks import BUCKET_WORDS, UNSENT_WORDS, status_label
from rules.timezone import vn_date

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_COOKIE = "phoihop_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (vi, en)
    "app": ("Phối hợp báo cáo", "Reporting coordination"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login_locked": (
        "Nhập sai mật khẩu quá nhiều lần: tạm khóa đăng nhập tài khoản này đến",
        "Too many wrong passwords: logging in to this account is locked until",
    ),
    "dashboard": ("Bảng theo dõi", "Dashboard"),
    "my_tasks": ("Nhiệm vụ của cơ quan", "My body's tasks"),
    "overdue_items": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "no_overdue": ("Không có nhiệm vụ quá hạn.", "Nothing is overdue."),
    "body": ("Cơ quan", "Body"),
    "cycle": ("Kỳ báo cáo", "Cycle"),
    "cycles": ("Kỳ báo cáo", "Cycles"),
    "days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "escalation_level": ("Mức đôn đốc", "Escalation level"),
    "progress": ("Tiến độ các kỳ đang mở", "Progress of open cycles"),
    "total": ("Tổng", "Total"),
    "compliance": ("Tỷ lệ đúng hạn theo cơ quan", "On-time rate by body"),
    "on_time_rate": ("Tỷ lệ đúng hạn (đúng hạn / đã đến hạn)", "On-time rate (on time / due)"),
    "revision_rounds": ("Số lần trả lại", "Revision rounds"),
    "status": ("Trạng thái", "Status"),
    "due_date": ("Hạn", "Due date"),
    "provisional": ("tạm tính", "provisional"),
    "provisional_hint": (
        "Năm này chưa có lịch hoán đổi ngày làm việc chính thức; hạn có thể thay đổi.",
        "This year's working-day swaps are not announced yet; the date may move.",
    ),
    "versions": ("Số phiên bản", "Versions"),
    "history": ("Lịch sử", "History"),
    "actions": ("Thao tác", "Actions"),
    "accept": ("Tiếp nhận", "Accept"),
    "return": ("Trả lại", "Return"),
    "comment": ("Ý kiến", "Comment"),
    "new_due_date": ("Hạn mới", "New due date"),
    "extend": ("Gia hạn", "Extend"),
    "reason": ("Lý do", "Reason"),
    "synthesize": ("Tổng hợp và khóa kỳ", "Synthesize and close"),
    "download_report": ("Tải báo cáo tổng hợp (Markdown)", "Download the report (Markdown)"),
    "download_report_docx": ("Tải báo cáo tổng hợp (Word)", "Download the report (Word)"),
    "download_draft_docx": ("Tải dự thảo báo cáo (Word)", "Download the draft report (Word)"),
    "letters": ("Công văn đôn đốc", "Urging letters"),
    "letter_number": ("Số, ký hiệu", "Number"),
    "letter_issued": ("Ngày", "Date"),
    "letter_new_due": ("Hạn mới", "New deadline"),
    "letter_summary": ("Báo cáo lãnh đạo", "Summary to leadership"),
    "download_letter": ("Tải (Word)", "Download (Word)"),
    "cycle_open": ("Đang mở", "Open"),
    "cycle_synthesized": ("Đã tổng hợp", "Synthesized"),
    "open_task": ("Mở", "Open"),
    "outline": ("Đề cương", "Outline"),
    "optional": ("không bắt buộc", "optional"),
    "submit": ("Gửi báo cáo", "Submit the report"),
    "resubmit": ("Gửi lại (phiên bản mới)", "Resubmit (new version)"),
    "paste_text": ("Dán nội dung báo cáo (Markdown)", "Paste the report (Markdown)"),
    "or_upload": ("hoặc tải lên tệp .md/.txt", "or upload a .md/.txt file"),
    "attachments": ("Tệp đính kèm", "Attachments"),
    "version": ("Phiên bản", "Version"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Trễ hạn", "Late"),
    "reviewer_comments": ("Ý kiến của cơ quan chủ trì", "Reviewer's comments"),
    "extensions": ("Gia hạn", "Extensions"),
    "escalations": ("Nhắc nhở, đôn đốc", "Reminders and escalations"),
    "none": ("Chưa có.", "None yet."),
    "previous": ("Trước", "Previous"),
    "next": ("Sau", "Next"),
    "showing": ("Hiển thị", "Showing"),
    "of": ("trên", "of"),
    "letter": ("Công văn", "Letter"),
    "period": ("Kỳ", "Period"),
    "cycle_closed": ("Kỳ báo cáo đã tổng hợp.", "The cycle has been synthesized."),
    "parent_cycle": ("Kỳ cấp trên", "Cycle above"),
    "child_cycle": ("tổng hợp từ kỳ cấp dưới", "consolidated from the cycle below"),
    "forbidden": ("Không có quyền truy cập.", "Access denied."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "bad_request": ("Yêu cầu không hợp lệ.", "Bad request."),
    "too_large": ("Tệp hoặc nội dung quá lớn.", "The upload is too large."),
    "role_coordinator": ("Cơ quan chủ trì", "Coordinator"),
    "role_agency": ("Cơ quan phối hợp", "Reporting body"),
    "role_viewer": ("Lãnh đạo (chỉ xem)", "Leadership (read-only)"),
    "language": ("English", "Tiếng Việt"),
    "extended_msg": ("Đã gia hạn.", "The deadline was extended."),
    "submitted_msg": ("Đã gửi báo cáo.", "The report was submitted."),
    "synthesized_msg": ("Đã tổng hợp kỳ báo cáo.", "The cycle was synthesized."),
    "synthesize_preview": ("Xem trước và tổng hợp…", "Preview and synthesize…"),
    "closing_blockers": ("Các cơ quan còn chờ", "Bodies still waited for"),
    "closing_blockers_hint": (
        "Chưa thể khóa kỳ khi còn báo cáo chờ xem xét hoặc cơ quan còn trong hạn. "
        "Hãy xem xét, chờ, hoặc chủ động không đưa các cơ quan này vào tổng hợp.",
        "The cycle cannot close while a report waits for review or a body is within its "
        "deadline. Review them, wait, or leave them out of the synthesis on purpose.",
    ),
    "why_waiting": ("Lý do", "Why"),
    "leave_out": ("Không đưa vào tổng hợp", "Leave out"),
    "blocker_awaiting_review": ("Đã gửi, chưa xem xét", "Sent, awaiting review"),
    "blocker_within_deadline": ("Còn trong hạn đến", "Within its deadline, until"),
    "closing_ready": (
        "Mọi báo cáo đã được xem xét; cơ quan quá hạn chưa gửi sẽ được ghi là chưa gửi.",
        "Every report has been reviewed; bodies past their deadline are listed as missing.",
    ),
    "closing_confirm": (
        "Tôi xác nhận tổng hợp và khóa kỳ báo cáo (không thể hoàn tác)",
        "I confirm: synthesize and close the cycle (this cannot be undone)",
    ),
    "closing_unconfirmed": (
        "Hãy đánh dấu ô xác nhận để khóa kỳ.",
        "Tick the confirmation box to close the cycle.",
    ),
    "report_preview": ("Bản xem trước báo cáo tổng hợp", "Preview of the consolidated report"),
    "no_tasks": ("Không có nhiệm vụ.", "No tasks."),
    "content": ("Nội dung", "Content"),
    "open_cycle": ("Mở kỳ báo cáo mới", "Open a new cycle"),
    "program": ("Chương trình báo cáo", "Program"),
    "period_hint": ("Kỳ (ví dụ 2024-H1, 2024-Q3, 2024)", "Period (e.g. 2024-H1, 2024-Q3, 2024)"),
    "letter_no": ("Số công văn", "Letter number"),
    "letter_date": ("Ngày công văn", "Letter date"),
    "open_cycle_button": ("Mở kỳ và giao nhiệm vụ", "Open the cycle and assign the tasks"),
    "cycle_opened_msg": ("Đã mở kỳ báo cáo.", "The cycle was opened."),
    # ad-hoc requests (web.request_pages)
    "adhoc_request": ("Yêu cầu báo cáo đột xuất", "Ad-hoc report request"),
    "adhoc_request_link": ("Yêu cầu báo cáo đột xuất…", "Request an ad-hoc report…"),
    "adhoc_subject": ("Trích yếu (về việc gì)", "Subject (what it is about)"),
    "adhoc_due": ("Hạn gửi (ngày)", "Due date"),
    "adhoc_within": (
        "hoặc số ngày làm việc kể từ ngày công văn",
        "or working days from the letter",
    ),
    "adhoc_bodies": (
        "Cơ quan báo cáo (mã, cách nhau bằng dấu phẩy)",
        "Reporting bodies (codes, separated by commas)",
    ),
    "adhoc_outline": (
        "Đề cương (mỗi mục một dòng «## I. Tiêu đề»; để trống: một mục)",
        "Outline (one line per section, «## I. Title»; empty: one section)",
    ),
    "adhoc_open_button": ("Gửi yêu cầu và giao nhiệm vụ", "Send the request and assign the tasks"),
    "adhoc_opened_msg": ("Đã mở yêu cầu báo cáo đột xuất.", "The ad-hoc request was opened."),
    # reports as officials write them, and data forms
    "or_upload_any": (
        "hoặc tải lên tệp báo cáo (Word .docx, .txt, .md)",
        "or upload the report file (Word .docx, .txt, .md)",
    ),
    "source_file": ("Tệp gốc", "Original file"),
    "pasted": ("nhập trực tiếp", "typed on the page"),
    "download": ("Tải về", "Download"),
    "report_header": ("Văn bản", "Document"),
    "cites": ("trả lời công văn", "answering letter"),
    "sections_extracted": ("Nội dung theo đề cương", "Sections as read"),
    "as_written": ("tiêu đề trong báo cáo", "heading as written"),
    "preamble": ("Phần mở đầu", "Opening"),
    "full_text": ("Toàn văn", "Full text"),
    "compare_previous": ("So sánh với bản trước", "Compare with the previous version"),
    "diff_title": ("So sánh phiên bản", "Comparing versions"),
    **{f"diff_{change}": (vi, CHANGE_LABELS_EN[change]) for change, vi in CHANGE_LABELS_VI.items()},
    "data_forms": ("Biểu mẫu số liệu", "Data forms"),
    "form_template": ("Tải biểu mẫu Excel", "Download the Excel template"),
    "form_upload": ("Tệp biểu mẫu đã điền (.xlsx)", "Filled form workbooks (.xlsx)"),
    "form_or_type": (
        "hoặc nhập số liệu trực tiếp (để trống nếu gửi tệp Excel)",
        "or type the figures here (leave empty when sending the workbook)",
    ),
    "form_values": ("Số liệu biểu mẫu", "Form figures"),
    "carried_from": ("giữ từ bản", "kept from version"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "unit": ("Đơn vị tính", "Unit"),
    "value": ("Số liệu", "Value"),
    "required_mark": ("bắt buộc", "required"),
    "export_xlsx": ("Tải bảng (.xlsx)", "Download (.xlsx)"),
    "export_csv": ("Tải bảng (.csv)", "Download (.csv)"),
    "form_totals": ("Số liệu tổng hợp (.xlsx)", "Summed figures (.xlsx)"),
    # scorecards
    "scorecard": ("Đánh giá tuân thủ", "Scorecard"),
    "scorecard_intro": (
        "Tuân thủ qua các kỳ báo cáo: theo cơ quan (kém nhất trước), theo chương trình "
        "và tổng cộng.",
        "Compliance across reporting cycles: per body (worst first), per program and in total.",
    ),
    "rate_note": (scorecard.RATE_NOTE_VI, scorecard.RATE_NOTE_EN),
    "days_note": (scorecard.DAYS_NOTE_VI, scorecard.DAYS_NOTE_EN),
    "all_programs": ("Tất cả chương trình", "All programs"),
    "body_code": ("Mã cơ quan", "Body code"),
    "from_period": ("Từ kỳ hoặc ngày", "From period or date"),
    "to_period": ("Đến kỳ hoặc ngày", "To period or date"),
    "apply_filter": ("Lọc", "Filter"),
    "total_all": ("Tổng cộng", "Total"),
    "tasks_total": ("Số nhiệm vụ", "Tasks"),
    "counted": ("Đã đến hạn", "Due"),
    "overdue_unsent": UNSENT_WORDS,
    "days_late_mean": ("Trễ hạn TB (ngày làm việc)", "Mean lateness (working days)"),
    "days_late_worst": ("Trễ hạn nhiều nhất (ngày làm việc)", "Worst lateness (working days)"),
    "top_level": ("Mức đôn đốc cao nhất", "Highest escalation level"),
    "extensions_count": ("Gia hạn", "Extensions"),
    "escalations_count": ("Lượt đôn đốc", "Escalations"),
    "by_body": ("Theo cơ quan (kém nhất trước)", "By body (worst first)"),
    "by_program": ("Theo chương trình", "By program"),
    "by_period": ("Tỷ lệ đúng hạn theo kỳ", "On-time rate by period"),
    "trend": ("Xu hướng", "Trend"),
    **{
        f"trend_{trend or 'none'}": (vi, scorecard.TREND_EN[trend])
        for trend, vi in scorecard.TREND_VI.items()
    },
    "inherits": (
        "Gồm lịch sử của cơ quan tiền thân:",
        "Includes the history of its predecessor(s):",
    ),
    "merged_from": ("sáp nhập từ", "merged from"),
    "from_predecessor": ("từ cơ quan tiền thân", "from predecessor"),
    "chart_cycles": ("Biểu đồ: bốn nhóm nhiệm vụ theo kỳ", "Chart: the four buckets per cycle"),
    "chart_bodies": ("Biểu đồ: tỷ lệ đúng hạn theo cơ quan", "Chart: on-time rate by body"),
    "chart_trend": ("Biểu đồ: tỷ lệ đúng hạn qua các kỳ", "Chart: on-time rate across periods"),
    "chart_first": ("Biểu đồ chỉ vẽ", "The chart shows only the first"),
    "chart_page": ("Biểu đồ vẽ các cơ quan của trang này", "The chart shows this page's bodies"),
    # accessibility, refresh, access refusals
    "consolidated_report": ("Báo cáo tổng hợp", "Consolidated report"),
    "read_report": ("Đọc báo cáo tổng hợp", "Read the consolidated report"),
    "too_large_hint": (
        "Một lần gửi được tối đa khoảng 30 MiB (báo cáo, tệp đính kèm và biểu mẫu cộng lại). "
        "Hãy quay lại, bớt hoặc nén tệp đính kèm rồi gửi lại.",
        "One submission may carry about 30 MiB (report, attachments and forms together). "
        "Go back, drop or compress some attachments, and send again.",
    ),
    "invalid_hint": (
        "Địa chỉ hoặc dữ liệu gửi lên không đúng dạng. Hãy quay lại trang trước và thử lại.",
        "The address or the data sent is not in the expected form. Go back and try again.",
    ),
    "internal_hint": (
        "Lỗi hệ thống; xin thử lại sau hoặc báo cho quản trị.",
        "Something went wrong on the server; try again later or tell the administrator.",
    ),
    "files_not_kept": (
        "Trình duyệt không giữ lại được các tệp đã chọn: hãy chọn lại tệp trước khi gửi.",
        "Browsers cannot keep the files you chose: choose them again before sending.",
    ),
    "draft_restored": (
        "Phiên đăng nhập đã hết hạn trước khi gửi; nội dung bạn đã nhập được giữ lại dưới "
        "đây. Hãy kiểm tra rồi gửi lại.",
        "Your session had expired before sending; what you typed is kept below. Check it "
        "and send it again.",
    ),
    "audit_history": ("Nhật ký thao tác", "Audit history"),
    "audit_at": ("Thời điểm (giờ Việt Nam)", "When (Vietnam time)"),
    "audit_actor": ("Người thực hiện", "By"),
    "audit_action": ("Thao tác", "Action"),
    "audit_body": ("Cơ quan", "Body"),
    "skip_to_content": ("Chuyển đến nội dung chính", "Skip to the main content"),
    "main_nav": ("Điều hướng chính", "Main navigation"),
    "chart": ("Biểu đồ", "Chart"),
    "all_statuses": ("Mọi trạng thái", "Every status"),
    "tasks_of_cycle": ("Nhiệm vụ của kỳ báo cáo", "The cycle's tasks"),
    "report_of": ("báo cáo của", "the report of"),
    "deadline_of": ("hạn của", "the deadline of"),
    "letter_state_to_render": ("đang soạn", "being drafted"),
    "letter_state_numbered": ("đã lấy số, đang soạn", "numbered, being drafted"),
    "letter_state_failed": ("soạn lỗi", "could not be drafted"),
    "refresh_manual": (
        "Số liệu tại thời điểm trên; tải lại trang để cập nhật.",
        "Figures as of the time above; reload the page to update them.",
    ),
    "refresh_now": ("Cập nhật ngay", "Update now"),
    "refresh_note": ("Trang tự cập nhật mỗi phút.", "This page updates itself every minute."),
    "refresh_paused": ("Đã tạm dừng tự cập nhật.", "Automatic updates are paused."),
    "refresh_pause": ("Tạm dừng tự cập nhật", "Pause automatic updates"),
    "refresh_resume": ("Tiếp tục tự cập nhật", "Resume automatic updates"),
    "forbidden_why": (
        "Tài khoản của bạn không được xem hoặc thực hiện thao tác này: mỗi cơ quan chỉ xem và "
        "gửi nhiệm vụ của mình; chỉ cơ quan chủ trì của chương trình được xem xét, gia hạn, "
        "tổng hợp; tài khoản lãnh đạo chỉ xem, không thao tác.",
        "Your account may not see this or do this: a body sees and submits its own tasks "
        "only; only the program's coordinating body reviews, extends and synthesizes; a "
        "leadership account reads and does not act.",
    ),
    "forbidden_you": ("Bạn đang đăng nhập là", "You are logged in as"),
    "forbidden_ask": (
        "Nếu bạn cần quyền này, hãy liên hệ đầu mối của cơ quan chủ trì",
        "If you need this access, ask the coordinating body's focal contact",
    ),
    "forbidden_csrf": (
        "Biểu mẫu đã hết hạn hoặc không hợp lệ (mã chống giả mạo). Hãy tải lại trang và thử lại.",
        "The form has expired or is not valid (its anti-forgery token). Reload the page and "
        "try again.",
    ),
    # the roll-up on the dashboard: a cycle, the cycles below it, the levels summed
    "rollup_title": ("Các kỳ cấp dưới", "The cycles below"),
    "rollup_note": (
        "Mỗi kỳ cấp dưới: nhiệm vụ của cơ quan chủ trì kỳ đó ở kỳ cấp trên, và bốn nhóm "
        "nhiệm vụ của chính kỳ đó. Dòng cuối cộng cả các cấp dưới.",
        "Each cycle below: its coordinator's task in the cycle above, and that cycle's own "
        "four buckets. The last line adds every level below.",
    ),
    "rollup_task_above": ("Nhiệm vụ ở kỳ cấp trên", "Its task in the cycle above"),
    "rollup_own": ("của cấp {level}", "{level} level only"),
    "rollup_all": ("gồm cả cấp {levels}", "including the {levels} level"),
    "rollup_more": (
        "Còn {count} kỳ cấp dưới khác: xem trên trang kỳ báo cáo",
        "{count} more cycles below: see the cycle's page",
    ),
    "rollup_link": ("Xem các kỳ cấp dưới", "See the cycles below"),
    **{f"level_{level}": (vi, level) for level, vi in LEVEL_VI.items()},
    # a coordinator's accounts page (web.accounts_pages)
    "accounts": ("Tài khoản", "Accounts"),
    "accounts_intro": (
        "Tài khoản đăng nhập của cơ quan bạn: thêm, khóa, đặt lại mật khẩu, cấp hoặc thu hồi "
        "mã truy cập API. Mọi thao tác được ghi nhật ký. Tài khoản lãnh đạo (chỉ xem) do quản "
        "trị hệ thống tạo.",
        "Your body's login accounts: add, disable, reset a password, issue or revoke API "
        "tokens. Every action is in the audit log. Leadership (read-only) accounts are made "
        "by the system's operator.",
    ),
    "accounts_of_body": ("Tài khoản của cơ quan", "The body's accounts"),
    "account_active": ("đang hoạt động", "active"),
    "account_disabled": ("đã khóa", "disabled"),
    "created_on": ("Ngày tạo", "Created"),
    "you": ("bạn", "you"),
    "reset_password": ("Đặt lại mật khẩu", "Reset the password"),
    # {count} is services.accounts.MIN_PASSWORD, passed by web.accounts_pages
    "new_password": (
        "Mật khẩu mới (ít nhất {count} ký tự)",
        "New password (at least {count} characters)",
    ),
    "repeat_password": ("Nhập lại mật khẩu", "Repeat the password"),
    "password_hint": ("ít nhất {count} ký tự", "at least {count} characters"),
    "username_hint": (
        "2–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang",
        "2–64 characters: a-z, 0-9, '.', '_', '-'",
    ),
    "display_name": ("Họ và tên", "Full name"),
    "role": ("Vai trò", "Role"),
    "add_account": ("Thêm tài khoản", "Add an account"),
    "account_body_note": ("Tài khoản mới thuộc cơ quan", "The new account works for"),
    "disable_account": ("Khóa tài khoản", "Disable the account"),
    "disable_hint": (
        "Phiên đăng nhập và mã truy cập của tài khoản ngừng hoạt động ngay.",
        "Its sessions and tokens stop working at once.",
    ),
    "issue_token": ("Cấp mã truy cập API", "Issue an API token"),
    "token_name": ("Tên mã (dùng để làm gì)", "Token name (what it is for)"),
    "tokens": ("Mã truy cập API", "API tokens"),
    "token_last_used": ("Dùng lần cuối", "Last used"),
    "token_revoked": ("Đã thu hồi", "Revoked"),
    "revoke": ("Thu hồi", "Revoke"),
    "token_issued": ("Đã cấp mã truy cập", "Token issued"),
    "token_for": ("Cho tài khoản", "For the account"),
    "token_secret": ("Mã truy cập", "Token"),
    "token_once": (
        "Mã chỉ hiển thị một lần này: hãy sao chép và cất giữ an toàn. Hệ thống chỉ lưu "
        "dấu băm của mã, không xem lại được.",
        "It is shown only now: copy it and keep it safe. Only its hash is stored; it cannot "
        "be shown again.",
    ),
    "account_created_msg": ("Đã thêm tài khoản.", "The account was added."),
    "account_disabled_msg": ("Đã khóa tài khoản.", "The account was disabled."),
    "password_reset_msg": (
        "Đã đặt mật khẩu mới; các phiên đăng nhập cũ của tài khoản đã kết thúc.",
        "The new password is set; the account's earlier sessions have ended.",
    ),
    "token_revoked_msg": ("Đã thu hồi mã truy cập.", "The token was revoked."),
    "no_scorecard": ("Không có nhiệm vụ nào trong phạm vi này.", "No tasks in this scope."),
    # reviewing where the report is read, the queue, filters
    "review_report": ("Xem xét", "Review"),
    "accept_ellipsis": ("Tiếp nhận…", "Accept…"),
    "confirm_accept_title": ("Xác nhận tiếp nhận báo cáo", "Confirm accepting the report"),
    "confirm_accept_intro": (
        "Tiếp nhận là quyết định cuối cùng: nhiệm vụ hoàn thành, cơ quan không gửi lại được "
        "nữa. Hãy kiểm tra đúng cơ quan và phiên bản đã đọc.",
        "Accepting is final: the task is done and the body cannot send again. Check that "
        "this is the body and the version you read.",
    ),
    "confirm_accept_button": (
        "Tiếp nhận phiên bản {version} của {body}",
        "Accept version {version} of {body}",
    ),
    "back_to_report": ("Quay lại đọc báo cáo", "Back to the report"),
    "sent_at": ("Gửi lúc", "Sent at"),
    "sent_by": ("Người gửi", "Sent by"),
    "timeliness": ("Thời hạn", "Timeliness"),
    "sections": ("Các mục", "Sections"),
    "accepted_of": (
        "Đã tiếp nhận báo cáo của {body} (phiên bản {version}).",
        "The report of {body} (version {version}) was accepted.",
    ),
    "returned_of": (
        "Đã trả lại báo cáo của {body}; hạn mới {due}.",
        "The report of {body} was returned; new due date {due}.",
    ),
    "next_waiting_note": (
        "Tiếp theo: báo cáo của {body} đang chờ xem xét (còn {count} báo cáo).",
        "Next: the report of {body}, waiting for review ({count} waiting).",
    ),
    "queue_empty_note": (
        "Không còn báo cáo nào chờ xem xét trong kỳ này.",
        "No report of this cycle is waiting for review any more.",
    ),
    "review_queue": ("Hàng chờ xem xét", "Review queue"),
    "next_waiting": ("Báo cáo tiếp theo chờ xem xét", "Next report waiting for review"),
    "others_waiting": ("còn {count} báo cáo khác chờ xem xét", "{count} more waiting"),
    "none_waiting": ("Không có báo cáo nào khác chờ xem xét.", "No other report is waiting."),
    "back_to_cycle": ("Về kỳ báo cáo", "Back to the cycle"),
    "due_typed": (
        "Hạn theo công văn (để trống: tính theo số ngày làm việc của chương trình)",
        "Due date from the letter (empty: counted in the program's working days)",
    ),
    "filter_tasks": ("Lọc nhiệm vụ", "Filter the tasks"),
    "search_text": ("Tìm theo tên hoặc mã cơ quan", "Search by body name or code"),
    "all_bodies": ("Mọi cơ quan", "Every body"),
    "overdue_only": ("Chỉ nhiệm vụ quá hạn", "Overdue only"),
    "clear_filter": ("Bỏ lọc", "Clear the filter"),
    "filtered_count": (
        "{shown} trên {total} nhiệm vụ của kỳ khớp bộ lọc.",
        "{shown} of the cycle's {total} tasks match the filter.",
    ),
    "no_match": ("Không có nhiệm vụ nào khớp bộ lọc.", "No task matches the filter."),
}
MESSAGES |= BUCKET_WORDS  # the four buckets: rules.tasks, one vocabulary for every face


def pick_lang(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


class Translator:
    """``t("key")`` in templates; unknown keys show as themselves (a visible bug, not a crash)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self._index = LANGS.index(self.lang)

    def __call__(self, key: str) -> str:
        pair = MESSAGES.get(key)
        return pair[self._index] if pair else key

    def cycle_status(self, status: str) -> str:
        return self(f"cycle_{status}")

    def event(self, event: dict[str, Any]) -> str:
        """A history event (reminder, escalation, review, extension) in words."""
        return describe_event(event, self.lang, vn_date)

    def status(self, status: str) -> str:
        return status_label(status, self.lang)
