"""Urging letters at the formal levels, the leadership's summary, and a notice per step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import select

from models import Document, Notification, OutboxAttachment
from services import db
from tests.docx_form import PARTY_NUMBER, Docx, cells
from tests.steps import CYCLE, ok, submit
from tests.test_bad_input import fails_cleanly

Cli = Callable[..., Any]


def sweep(cli: Cli, now: str) -> dict[str, Any]:
    return ok(cli("sweep", "--now", now, "--json"))


def outbox() -> list[Notification]:
    with db.reading() as session:
        return list(session.exec(select(Notification).order_by(Notification.id)).all())


def test_formal_levels_make_numbered_letters_to_the_heads(open_cycle: Cli, tmp_path: Path) -> None:
    cli = open_cycle
    submit(cli, "HDND", "2024-07-08T10:00")
    sweep(cli, "2024-07-13T08:00")  # level 1: a message, no letter
    assert ok(cli("letters", "list", "--json")) == []
    sweep(cli, "2024-07-17T08:00")  # level 2: formal by default
    letters = ok(cli("letters", "list", "--cycle", CYCLE, "--json"))
    assert len(letters) == 6 and {x["kind"] for x in letters} == {"urging"}
    assert sorted(x["number"] for x in letters) == [f"{n:02d}-CV/BTGTU" for n in range(1, 7)]
    assert {x["new_due"] for x in letters} == {"2024-07-22"}  # 3 working days from 17/07
    vhttdl = next(x for x in letters if x["body"] == "SO-VHTTDL")
    out = tmp_path / "don-doc.docx"
    ok(cli("letters", "get", vhttdl["id"], "--out", out, "--json"))
    doc = Docx(out.read_bytes())
    left = [p.text for p in doc.paras(cells(doc.tables()[0])[0][0]) if p.text]
    assert PARTY_NUMBER.match(left[3]) and left[3] == f"Số {vhttdl['number']}"
    assert left[4].startswith("V/v đôn đốc báo cáo kết quả thực hiện Quy chế")
    text = doc.text()
    assert "Kính gửi: Đồng chí Giám đốc Sở Văn hóa, Thể thao và Du lịch." in text
    assert "Công văn số 310-CV/BTGTU ngày 03/7/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre" in text
    assert "trước ngày 12/7/2024" in text  # the deadline it follows up
    assert "trước ngày 22/7/2024" in text  # the new one
    assert "I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238" in text  # missing
    assert "- Thường trực Tỉnh ủy (để b/c);" in text and "- Như trên;" in text
    assert "yêu cầu" not in text  # peers are asked, not ordered
    # the rung's message carries its letter
    with db.reading() as session:
        document = session.get(Document, vhttdl["id"])
        message = session.exec(
            select(Notification).where(Notification.escalation_id == document.escalation_id)
        ).one()
        attached = session.exec(
            select(OutboxAttachment).where(OutboxAttachment.notification_id == message.id)
        ).all()
    assert [a.document_id for a in attached] == [vhttdl["id"]]
    assert "Công văn đôn đốc của Ban Tuyên giáo Tỉnh ủy Bến Tre gửi kèm theo" in message.body


def test_leadership_gets_one_summary_per_sweep_not_the_bodies_text(open_cycle: Cli) -> None:
    cli = open_cycle
    submit(cli, "HDND", "2024-07-08T10:00")
    sweep(cli, "2024-07-22T08:00")  # a late sweep: level 3 (head and leadership)
    mails = outbox()
    to_leadership = [m for m in mails if any("thuongtruc@" in r for r in m.recipients)]
    assert len(to_leadership) == 1
    summary = to_leadership[0]
    assert summary.escalation_id is None and summary.body.startswith(
        "Kính gửi: Thường trực Tỉnh ủy."
    )
    assert "Sở Văn hóa, Thể thao và Du lịch (quá hạn 10 ngày)" in summary.body
    letters = ok(cli("letters", "list", "--json"))
    summaries = [x for x in letters if x["kind"] == "summary"]
    assert len(summaries) == 1 and summaries[0]["number"] == "07-CV/BTGTU"
    with db.reading() as session:
        text = session.get(Document, summaries[0]["id"]).markdown
    assert "Kính gửi: Thường trực Tỉnh ủy." in text
    assert "- Sở Văn hóa, Thể thao và Du lịch: quá hạn 10 ngày, đã đôn đốc lần 3" in text
    assert "Công văn số 06-CV/BTGTU đôn đốc" in text  # the letters it lists
    # the bodies' messages no longer copy the leadership
    rungs = [m for m in mails if m.escalation_id is not None]
    assert rungs and not any("thuongtruc@" in r for m in rungs for r in m.recipients)
    sweep(cli, "2024-07-22T09:00")  # nothing new: no second summary
    assert len([x for x in ok(cli("letters", "list", "--json")) if x["kind"] == "summary"]) == 1


def test_a_message_waits_for_its_letter(open_cycle: Cli) -> None:
    """Delivery holds back a rung's message while its letter is not rendered yet."""
    from services import notify
    from services.escalation import sweep as run_sweep
    from services.notify import _claimable

    now = __import__("rules.timezone", fromlist=["parse_moment"]).parse_moment("2024-07-17T08:00")
    run_sweep(now=now)  # the sweep alone: letters recorded, not rendered
    with db.reading() as session:
        held = session.exec(select(Notification.id).where(~_claimable(now).self_group())).all()
        waiting = session.exec(select(Document).where(Document.state == "to_render")).all()
    assert len(waiting) == 7 and len(held) == 7
    notify.deliver(None, now=now)  # prepares the outbox even without a channel
    with db.reading() as session:
        states = {d.state for d in session.exec(select(Document)).all() if d.kind == "urging"}
    assert states == {"rendered"}


def test_a_notice_for_every_step(open_cycle: Cli) -> None:
    cli = open_cycle
    opening = [m for m in outbox() if m.subject.startswith("Đề nghị báo cáo")]
    assert len(opening) == 7
    hdnd = next(m for m in opening if "bao.pq@hdnd" in m.recipients[0])
    assert "chutich@hdnd" in hdnd.recipients[1]  # focal contact and head
    assert "Công văn số 310-CV/BTGTU ngày 03/7/2024" in hdnd.body
    assert "trước ngày 12/7/2024" in hdnd.body

    submit(cli, "VKSND", "2024-07-09T10:00", Path(__file__).parent.parent / "demo" / "data"
           / "reports" / "VKSND-v1.md")  # fmt: skip
    ok(cli("review", "return", "--cycle", CYCLE, "--body", "VKSND", "--comment",
           "Bổ sung số liệu về các vụ án", "--due", "2024-07-19", "--now", "2024-07-15T09:00",
           "--json"))  # fmt: skip
    ok(cli("extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-17", "--reason",
           "Chờ số liệu từ các huyện", "--now", "2024-07-11T15:00", "--json"))  # fmt: skip
    submit(cli, "HDND", "2024-07-10T10:00")
    submit(cli, "UBND", "2024-07-10T11:00")
    ok(cli("review", "accept", "--cycle", CYCLE, "--body", "HDND", "--now", "2024-07-15T10:00",
           "--json"))  # fmt: skip
    mails = outbox()
    returned = next(m for m in mails if m.subject.startswith("Đề nghị bổ sung, hoàn thiện"))
    assert returned.recipients == ["Huỳnh Thanh Tâm <tam.ht@vks.bentre.example>"]
    assert "Bổ sung số liệu về các vụ án." in returned.body
    assert "trước ngày 19/7/2024" in returned.body
    extended = next(m for m in mails if m.subject.startswith("Gia hạn gửi báo cáo"))
    assert extended.recipients == ["Ngô Thị Kim Oanh <oanh.ntk@stp.bentre.example>"]
    assert "từ ngày 12/7/2024 đến ngày 17/7/2024 (lý do: Chờ số liệu từ các huyện)" in (
        extended.body
    )
    accepted = next(m for m in mails if m.subject.startswith("Đã tiếp nhận báo cáo"))
    assert accepted.recipients == ["Phạm Quốc Bảo <bao.pq@hdnd.bentre.example>"]
    # submissions: one digest for the coordinator per delivery run, not one each
    sweep(cli, "2024-07-15T11:00")
    digests = [m for m in outbox() if m.subject.startswith("Báo cáo mới nhận")]
    assert len(digests) == 1
    assert digests[0].recipients == ["Lê Minh Khoa <khoa.lm@btgtu.bentre.example>"]
    body = digests[0].body
    assert "Viện Kiểm sát nhân dân tỉnh: bản 1 (đúng hạn)" in body
    assert "Ủy ban nhân dân tỉnh: bản 1 (đúng hạn), lúc 11:00 ngày 10/7/2024" in body
    sweep(cli, "2024-07-15T12:00")
    assert len([m for m in outbox() if m.subject.startswith("Báo cáo mới nhận")]) == 1


def test_the_request_letter_goes_with_the_opening_notices(open_cycle: Cli, tmp_path: Path) -> None:
    letter = tmp_path / "Công văn 310-CV-BTGTU.pdf"
    letter.write_bytes(b"%PDF-1.4 request")
    done = ok(
        open_cycle("letters", "request", CYCLE, letter, "--json", "--now", "2024-07-03T09:00")
    )
    assert done["notices"] == 7 and done["filename"] == "Công văn 310-CV-BTGTU.pdf"
    with db.reading() as session:
        links = session.exec(select(OutboxAttachment)).all()
    assert len(links) == 7


def test_the_request_letter_is_kept_as_the_notices_carried_it(
    open_cycle: Cli, tmp_path: Path
) -> None:
    """Sending the same letter again attaches it to what waits; another file is refused,
    so a notice already sent never points at bytes it did not carry."""
    letter = tmp_path / "310-CV-BTGTU.pdf"
    letter.write_bytes(b"%PDF-1.4 request")
    ok(open_cycle("letters", "request", CYCLE, letter, "--json", "--now", "2024-07-03T09:00"))
    again = ok(
        open_cycle("letters", "request", CYCLE, letter, "--json", "--now", "2024-07-03T10:00")
    )
    assert again["notices"] == 0  # every waiting notice has it already
    other = tmp_path / "310-CV-BTGTU-v2.pdf"
    other.write_bytes(b"%PDF-1.4 another")
    line = fails_cleanly(open_cycle, "letters", "request", CYCLE, other, "--now",
                         "2024-07-03T11:00")  # fmt: skip
    assert "QD238/2024-H1 already has its request letter (310-CV-BTGTU.pdf" in line
    with db.reading() as session:
        [stored] = session.exec(select(Document).where(Document.kind == "request")).all()
    assert stored.data == b"%PDF-1.4 request"
