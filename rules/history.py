"""The audit log in words: what an official reads in a cycle's or a task's history.

Every state change writes an audit record (``action`` plus a JSON ``detail``);
this module turns one into a line of Vietnamese (or English), pure and
clock-free. The steps a task's timeline already names (reminders, urging
levels, acceptance, return, extension) are worded by
:func:`rules.messages.describe_event`, so the history and ``cycle show`` say the
same thing the same way; the roll-up's notes on a cycle (linked under a cycle
above, sent up, an extension above kept or followed) are worded here too, with
every fact ``cycle show`` and ``cycle tree`` print. An action this module does
not know is shown by its name and its detail's keys, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from rules.messages import describe_event
from rules.timezone import vn_date


def _date(value: Any) -> str:
    """An ISO date from a detail as dd/mm/yyyy (left as it is when it is not one)."""
    try:
        return vn_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _timeline_event(action: str, d: Mapping[str, Any]) -> dict[str, Any] | None:
    """The audit record as a task-history event of :func:`describe_event`, if it is one."""
    if action == "task.reminded":
        return {"kind": "reminder", "step": d.get("step")}
    if action == "task.escalated":
        return {"kind": "escalation", "step": d.get("step"), "level": d.get("level")}
    if action == "task.accepted":
        return {"kind": "accepted", "step": f"v{d.get('version')}"}
    if action == "task.returned":
        return {"kind": "returned", "step": f"v{d.get('version')}",
                "new_due_date": d.get("new_due")}  # fmt: skip
    if action == "task.extended":
        return {"kind": "extended", "old_due_date": d.get("old_due"),
                "new_due_date": d.get("new_due")}  # fmt: skip
    return None


def _submitted(d: Mapping[str, Any], en: bool) -> str:
    version = d.get("version")
    timely = d.get("on_time")
    if en:
        return f"version {version} sent" + {True: " (on time)", False: " (late)"}.get(timely, "")
    return f"gửi bản {version}" + {True: " (đúng hạn)", False: " (trễ hạn)"}.get(timely, "")


def _opened(d: Mapping[str, Any], en: bool) -> str:
    ref = f"{d.get('program')}/{d.get('period')}"
    due, tasks = _date(d.get("provide_due")), d.get("tasks")
    letter = d.get("letter_no")
    if en:
        cited = f" from letter {letter}" if letter else ""
        kind = "ad-hoc request" if d.get("adhoc") else "cycle"
        return f"{kind} {ref} opened{cited}: {tasks} tasks due {due}"
    cited = f" theo Công văn số {letter}" if letter else ""
    if d.get("adhoc"):
        return f"mở yêu cầu báo cáo đột xuất {ref}{cited}: {tasks} nhiệm vụ, hạn {due}"
    return f"mở kỳ báo cáo {ref}{cited}: {tasks} nhiệm vụ, hạn {due}"


def _program_updated(d: Mapping[str, Any], en: bool) -> str:
    """``program update``: a new version (its terms), or fields changed in place."""
    code, version = d.get("code"), d.get("version")
    changed = [*(d.get("terms") or []), *(d.get("fields") or {}), *(
        f"+{b}" for b in d.get("added_bodies") or [])]  # fmt: skip
    listed = f" ({', '.join(changed)})" if changed else ""
    if en:
        what = f"version {version} for future cycles" if d.get("new_version") else "updated"
        return f"program {code}: {what}{listed}"
    what = f"phiên bản {version} cho các kỳ mở sau" if d.get("new_version") else "cập nhật"
    return f"chương trình {code}: {what}{listed}"


def _synthesized(d: Mapping[str, Any], en: bool) -> str:
    number, left = d.get("number"), d.get("left_out") or []
    if en:
        text = "consolidated and closed" + (f", report no. {number}" if number else "")
        return text + (f"; left out: {', '.join(left)}" if left else "")
    text = "tổng hợp và khóa kỳ" + (f", báo cáo số {number}" if number else "")
    return text + (f"; không chờ: {', '.join(left)}" if left else "")


def _fed(d: Mapping[str, Any], en: bool) -> str:
    timely = {True: " (on time)", False: " (late)"} if en else {True: " (đúng hạn)",
                                                                False: " (trễ hạn)"}  # fmt: skip
    said = (f"report sent up to {d.get('parent')} as version {d.get('version')}" if en
            else f"đã gửi báo cáo lên kỳ {d.get('parent')}, bản {d.get('version')}")  # fmt: skip
    return said + timely.get(d.get("on_time"), "")


def _steps(d: Mapping[str, Any], en: bool) -> list[str]:
    """The skipped rungs (``reminder-2``, ``level-1``) in words."""
    words = []
    for step in d.get("skipped") or []:
        kind, _, n = str(step).partition("-")
        event = {"kind": "reminder" if kind == "reminder" else "escalation", "step": step,
                 "level": n}  # fmt: skip
        words.append(describe_event(event, "en" if en else "vi", _date))
    return words


def _moved(d: Mapping[str, Any], en: bool) -> str:
    """``cycle.deadlines_moved``: the sending and synthesis deadlines, old → new (a
    record without the old dates shows the new ones alone)."""
    old, new = d.get("old") or {}, d.get("new") or {}
    names = {"provide_due": ("hạn gửi", "sending due"),
             "synthesis_due": ("hạn tổng hợp", "synthesis due")}  # fmt: skip
    moves = []
    for key, (vi, english) in names.items():
        if new.get(key):
            was = f"{_date(old[key])} → " if old.get(key) else ""
            moves.append(f"{english if en else vi} {was}{_date(new[key])}")
    said = ("deadlines moved after an extension above: " if en
            else "dời hạn theo gia hạn của cấp trên: ")  # fmt: skip
    return said + ", ".join(moves)


_PLAIN: dict[str, tuple[str, str]] = {  # action → (Vietnamese, English), detail not needed
    "cycle.request_letter": ("đính kèm công văn đề nghị vào thông báo mở kỳ",
                             "request letter attached to the opening notices"),
    "user.login": ("đăng nhập", "logged in"),
    "user.logout": ("đăng xuất", "logged out"),
    "user.login_failed": ("đăng nhập sai mật khẩu", "failed login"),
    "user.login_locked": ("tài khoản tạm khóa đăng nhập", "login locked"),
    "user.password_reset": ("đặt lại mật khẩu", "password reset"),
    "token.revoked": ("thu hồi mã truy cập API", "API token revoked"),
}  # fmt: skip


def _named(d: Mapping[str, Any], key: str) -> str:
    return f" {d[key]}" if d.get(key) else ""


_WORDED: dict[str, Callable[[Mapping[str, Any], bool], str]] = {
    "task.submitted": _submitted,
    "cycle.opened": _opened,
    "cycle.synthesized": _synthesized,
    "body.created": lambda d, en: ("body" if en else "thêm cơ quan") + _named(d, "code"),
    "body.updated": lambda d, en: (
        ("body updated" if en else "cập nhật cơ quan") + _named(d, "code")
    ),
    "body.office_holder": lambda d, en: (
        f"{d.get('title')}: {d.get('name')} from {_date(d.get('valid_from'))}"
        if en
        else f"{d.get('title')}: {d.get('name')} từ {_date(d.get('valid_from'))}"
    ),  # fmt: skip
    "program.created": lambda d, en: ("program" if en else "thêm chương trình") + _named(d, "code"),
    "program.updated": _program_updated,
    # mergers (services.succession): a successor link, and a task handed over under it
    "body.merged": lambda d, en: (
        f"{d.get('predecessor')} merged into {d.get('successor')} from "
        f"{_date(d.get('effective_on'))}" if en
        else f"{d.get('predecessor')} sáp nhập vào {d.get('successor')} từ "
        f"{_date(d.get('effective_on'))}"
    ) + (f" ({d['decision']})" if d.get("decision") else ""),  # fmt: skip
    "task.handed_over": lambda d, en: (
        (f"handed over from {d.get('from')} to {d.get('to')}" if d.get("moved")
         else f"closed, handed over: {d.get('to')} carries on with task {d.get('into_task')}")
        if en else
        (f"bàn giao từ {d.get('from')} sang {d.get('to')}" if d.get("moved")
         else f"khép lại, đã bàn giao: {d.get('to')} tiếp tục nhiệm vụ {d.get('into_task')}")
    ),  # fmt: skip
    "letter.urging": lambda d, en: (
        f"urging letter {d.get('number')} (level {d.get('level')})"
        if en
        else f"công văn đôn đốc số {d.get('number')} (lần {d.get('level')})"
    ),  # fmt: skip
    "letter.summary": lambda d, en: (
        f"summary for leadership {d.get('number')}"
        if en
        else f"báo cáo tình hình gửi lãnh đạo, số {d.get('number')}"
    ),  # fmt: skip
    "letter.failed": lambda d, en: (
        ("letter not rendered: " if en else "chưa lập được văn bản: ") + str(d.get("error", ""))
    ),
    "notification.sent": lambda d, en: (
        ("message sent to " if en else "đã gửi thư tới ") + ", ".join(d.get("recipients") or [])
    ),
    "notification.failed": lambda d, en: (
        ("message not sent: " if en else "gửi thư không được: ") + str(d.get("error", ""))
    ),
    "user.created": lambda d, en: ("account" if en else "tạo tài khoản") + _named(d, "username"),
    "user.disabled": lambda d, en: (
        ("account disabled" if en else "khóa tài khoản") + _named(d, "username")
    ),
    "token.issued": lambda d, en: (
        ("API token issued" if en else "cấp mã truy cập API") + _named(d, "name")
    ),
    "access.denied": lambda d, en: (
        ("access refused" if en else "từ chối truy cập")
        + (f": {d['path']}" if d.get("path") else "")
    ),
    "task.rungs_skipped": lambda d, en: ("ladder steps skipped: " if en else
                                         "bỏ qua: ") + ", ".join(_steps(d, en)),
    # the roll-up (services.rollup): what passed between a cycle and the one above it
    "cycle.adopted": lambda d, en: (f"opened earlier, linked under {d.get('parent')}" if en
                                    else f"kỳ đã mở trước, gắn vào kỳ cấp trên {d.get('parent')}"),
    "cycle.fed": lambda d, en: _fed(d, en),
    "cycle.not_fed": lambda d, en: (f"report not sent up to {d.get('parent')}: " if en else
                                    f"chưa gửi được báo cáo lên kỳ {d.get('parent')}: ")
    + str(d.get("reason", "")),
    "cycle.parent_closed": lambda d, en: (f"{d.get('parent')} closed before this cycle" if en
                                          else f"kỳ cấp trên {d.get('parent')} đã khóa trước"),
    "cycle.parent_extended": lambda d, en: (
        f"the coordinator's deadline above extended to {_date(d.get('parent_due'))}; "
        "this cycle's deadlines kept" if en
        else f"cấp trên gia hạn cho cơ quan chủ trì đến {_date(d.get('parent_due'))}; "
        "giữ nguyên hạn của kỳ"
    ),
    "cycle.deadlines_moved": _moved,
}  # fmt: skip


def describe(action: str, detail: Mapping[str, Any], lang: str = "vi") -> str:
    """One audit record as a line an official reads, in ``lang`` (``vi`` or ``en``)."""
    en = lang == "en"
    event = _timeline_event(action, detail)
    if event is not None:
        text = describe_event(event, lang, _date)
        if action == "task.returned" and detail.get("comment"):
            text += f" — {detail['comment']}"
        if action == "task.extended" and detail.get("reason"):
            text += f" — {detail['reason']}"
        return text
    if action in _WORDED:
        return _WORDED[action](detail, en)
    if action in _PLAIN:
        return _PLAIN[action][1 if en else 0]
    keys = ", ".join(sorted(detail))
    return f"{action} ({keys})" if keys else action
