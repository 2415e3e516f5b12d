"""Every API endpoint, driven as a client would, on the demo cycle and a simulated clock."""

from __future__ import annotations

import base64
import io
from urllib.parse import unquote

from docx import Document

from tests.web.conftest import AFTER_DUE, Web, report_text
from web.downloads import DOCX


def test_health_needs_no_token(web: Web) -> None:
    response = web.api("GET", "/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_schema_is_served(web: Web) -> None:
    schema = web.api("GET", "/api/openapi.json").json()
    assert schema["info"]["title"] == "phoihop"
    for path in ("/api/tasks", "/api/tasks/{task_id}/submissions", "/api/stats/bodies"):
        assert path in schema["paths"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_openapi_documents_every_response(web: Web) -> None:
    """Each JSON endpoint's 200/201 names a component schema, and every error is ErrorOut."""
    schema = web.api("GET", "/api/openapi.json").json()
    components = schema["components"]["schemas"]
    binary = {"/api/cycles/{cycle_id}/report", "/api/tasks/{task_id}/submissions/{version}/"
              "attachments/{attachment_id}", "/api/tasks/{task_id}/submissions/{version}/source",
              "/api/tasks/{task_id}/forms/{code}/template", "/api/cycles/{cycle_id}/draft.docx",
              "/api/letters/{letter_id}"}  # fmt: skip
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path in binary:
                continue
            ok = next(code for code in ("200", "201") if code in operation["responses"])
            body = operation["responses"][ok]["content"]["application/json"]["schema"]
            ref = body.get("$ref") or body.get("items", {}).get("$ref")
            assert ref and ref.startswith("#/components/schemas/"), (method, path, body)
            name = ref.rsplit("/", 1)[1]
            assert components[name].get("properties"), (method, path, name)
            if path != "/api/health":
                for code in ("401", "403", "404"):
                    error = operation["responses"][code]["content"]["application/json"]
                    assert error["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
            checked += 1
    assert checked >= 17
    # dates and instants are typed; nullable fields say so
    task = components["TaskOut"]["properties"]
    assert task["due_date"]["format"] == "date"
    assert {"type": "string", "format": "date-time"} in task["last_submitted_at"]["anyOf"]
    assert {"type": "null"} in task["last_submitted_at"]["anyOf"]
    page = components["TaskPage"]["properties"]
    assert set(page) == {"items", "total", "limit", "offset"}
    assert schema["paths"]["/api/tasks"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/TaskPage"}


def test_me(web: Web) -> None:
    me = web.api("GET", "/api/me", "ubnd").json()
    assert me == {
        "username": "ubnd",
        "display_name": "Đoàn Thị Ngọc Ánh",
        "role": "agency",
        "body": "UBND",
        "body_name": "Ủy ban nhân dân tỉnh",
    }


def test_missing_or_bad_token_is_401(web: Web) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        response = web.api("GET", "/api/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "error" in response.json()


def test_revoked_token_and_disabled_user_stop_working(web: Web) -> None:
    from services import accounts, clock

    issued = accounts.issue_token("hdnd", name="second", now=clock.now(), actor="t")
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert web.api("GET", "/api/me", headers=headers).status_code == 200
    accounts.revoke_token(issued["id"], now=clock.now(), actor="t")
    assert web.api("GET", "/api/me", headers=headers).status_code == 401
    accounts.disable_user("ubnd", now=clock.now(), actor="t")
    assert web.api("GET", "/api/me", "ubnd").status_code == 401


def test_bodies_and_programs(web: Web) -> None:
    bodies = web.api("GET", "/api/bodies", "ubnd").json()
    assert {"code": "VKSND", "name": "Viện Kiểm sát nhân dân tỉnh"}.items() <= next(
        b for b in bodies if b["code"] == "VKSND"
    ).items()
    programs = web.api("GET", "/api/programs", "lanhdao").json()
    assert programs[0]["code"] == "QD238"
    assert programs[0]["coordinator"] == "BTGTU"
    assert [s["code"] for s in programs[0]["outline"]] == ["I", "II", "III"]


def test_cycles_list_detail_and_progress(web: Web) -> None:
    cycles = web.api("GET", "/api/cycles", "khoa").json()
    assert [c["ref"] for c in cycles] == ["QD238/2024-H1"]
    detail = web.api("GET", f"/api/cycles/{web.cycle_id}", "khoa").json()
    assert detail["cycle"]["letter_no"] == "310-CV/BTGTU"
    assert detail["cycle"]["provide_due"] == "2024-07-12"
    assert detail["progress"]["pending"] == 7
    # an agency sees the cycle, counted over its own task only
    mine = web.api("GET", f"/api/cycles/{web.cycle_id}", "ubnd").json()
    assert mine["progress"]["total"] == 1
    # a coordinator of a body that coordinates nothing sees the cycle through its own task
    assert len(web.api("GET", "/api/cycles", "ubndc").json()) == 1


def test_open_cycle_by_its_coordinator(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    now("2025-01-03T08:00")
    body = {"program": "QD238", "period": "2024-H2", "letter_no": "12-CV/BTGTU"}
    response = web.api("POST", "/api/cycles", "khoa", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["tasks"] == 7
    again = web.api("POST", "/api/cycles", "khoa", json=body)
    assert again.status_code == 409
    assert "already" in again.json()["error_en"]  # the service's words; "error" is in Vietnamese
    assert again.json()["error"] == "Chương trình QD238 đã mở kỳ báo cáo 2024-H2."
    bad = web.api("POST", "/api/cycles", "khoa", json=body | {"period": "2024-H3"})
    assert bad.status_code == 400
    assert web.api("POST", "/api/cycles", "ubndc", json=body).status_code == 403
    unknown = web.api("POST", "/api/cycles", "khoa", json=body | {"program": "NOPE"})
    assert unknown.status_code == 404


def test_tasks_filters_and_pagination(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    all_tasks = web.api("GET", "/api/tasks", "khoa").json()
    assert all_tasks["total"] == 7
    assert {t["bucket"] for t in all_tasks["items"]} == {"pending"}
    page = web.api("GET", "/api/tasks?limit=3&offset=3", "khoa").json()
    assert len(page["items"]) == 3 and page["offset"] == 3
    one = web.api("GET", "/api/tasks?body=VKSND", "khoa").json()
    assert [t["body"] for t in one["items"]] == ["VKSND"]
    by_cycle = web.api("GET", f"/api/tasks?cycle={web.cycle_id}&status=pending", "khoa").json()
    assert by_cycle["total"] == 7
    assert web.api("GET", "/api/tasks?overdue=true", "khoa").json()["total"] == 0
    now(AFTER_DUE)
    overdue = web.api("GET", "/api/tasks?overdue=true", "khoa").json()
    assert overdue["total"] == 7
    assert overdue["items"][0]["days_overdue"] == 5


def test_submit_versions_and_attachments(web: Web) -> None:
    task = web.tasks["UBND"]
    attachment = base64.b64encode("Bảng số liệu".encode()).decode()
    first = web.api(
        "POST",
        f"/api/tasks/{task}/submissions",
        "ubnd",
        json={
            "text": report_text(),
            "attachments": [{"filename": "Số liệu.csv", "content_base64": attachment}],
        },
    )
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["on_time"] is True
    second = web.api(
        "POST",
        f"/api/tasks/{task}/submissions/upload",
        "ubnd",
        files={
            "report": ("bao-cao.md", report_text("Bổ sung.").encode(), "text/markdown"),
            "attachments": ("phu-luc.txt", b"phu luc", "text/plain"),
        },
    )
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2
    versions = web.api("GET", f"/api/tasks/{task}/submissions", "ubnd").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert "content" not in versions[0]
    v1 = web.api("GET", f"/api/tasks/{task}/submissions/1", "ubnd").json()
    assert "Ủy ban nhân dân tỉnh đã phối hợp" in v1["content"]
    assert [s["code"] for s in v1["sections"]] == ["I", "II"]
    att = v1["attachments"][0]
    download = web.api("GET", f"/api/tasks/{task}/submissions/1/attachments/{att['id']}", "khoa")
    assert download.status_code == 200
    assert download.content.decode() == "Bảng số liệu"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="So_lieu.csv"')  # ASCII fallback
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "Số liệu.csv"  # the name as the body sent it
    assert web.api("GET", f"/api/tasks/{task}/submissions/9", "ubnd").status_code == 404


def test_review_return_then_accept(web: Web) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    returned = web.api(
        "POST",
        f"/api/tasks/{task}/review",
        "khoa",
        json={
            "decision": "return",
            "comment": "Bổ sung số liệu quý II",
            "new_due_date": "2024-07-19",
        },
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["decision"] == "returned"
    assert returned.json()["due_date"] == "2024-07-19"
    again = web.api("POST", f"/api/tasks/{task}/review", "khoa", json={"decision": "accept"})
    assert again.status_code == 409  # nothing new to review
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text("v2")})
    accepted = web.api("POST", f"/api/tasks/{task}/review", "khoa", json={"decision": "accept"})
    assert accepted.status_code == 200
    detail = web.api("GET", f"/api/tasks/{task}", "ubnd").json()
    assert detail["task"]["status"] == "accepted"
    assert detail["versions"][1]["review"]["comment"] == "Bổ sung số liệu quý II"
    no_date = web.api(
        "POST",
        f"/api/tasks/{web.tasks['HDND']}/review",
        "khoa",
        json={"decision": "return", "comment": "x"},
    )
    assert no_date.status_code == 400
    assert "new due date" in no_date.json()["error_en"]
    assert no_date.json()["error"] == "Trả lại báo cáo cần có hạn mới."


def test_extension(web: Web) -> None:
    task = web.tasks["TAND"]
    response = web.api(
        "POST",
        f"/api/tasks/{task}/extensions",
        "khoa",
        json={"new_due_date": "2024-07-26", "reason": "Chờ số liệu xét xử"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["due_date"] == "2024-07-26"
    earlier = web.api(
        "POST",
        f"/api/tasks/{task}/extensions",
        "khoa",
        json={"new_due_date": "2024-07-15", "reason": "x"},
    )
    assert earlier.status_code == 400
    detail = web.api("GET", f"/api/tasks/{task}", "khoa").json()
    assert detail["extensions"][0]["reason"] == "Chờ số liệu xét xử"


def test_dashboard_and_statistics(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    web.api(
        "POST", f"/api/tasks/{web.tasks['UBND']}/submissions", "ubnd", json={"text": report_text()}
    )
    now(AFTER_DUE)
    web.api(
        "POST", f"/api/tasks/{web.tasks['HDND']}/submissions", "hdnd", json={"text": report_text()}
    )
    overdue = web.api("GET", "/api/dashboard/overdue", "lanhdao").json()
    assert overdue["total"] == 5
    assert {r["body"] for r in overdue["items"]} == {
        "VKSND",
        "TAND",
        "SO-TTTT",
        "SO-TP",
        "SO-VHTTDL",
    }
    stats = web.api("GET", "/api/stats/cycles", "khoa").json()
    assert {k: stats[0][k] for k in ("done_on_time", "done_late", "pending", "overdue")} == {
        "done_on_time": 1,
        "done_late": 1,
        "pending": 0,
        "overdue": 5,
    }
    bodies = web.api("GET", "/api/stats/bodies", "lanhdao").json()
    rates = {b["body"]: b["on_time_rate"] for b in bodies["items"]}
    # TAND never sent: it is not on time (0%, like the late HDND), no longer "unknown".
    assert rates["UBND"] == 1.0 and rates["HDND"] == 0.0 and rates["TAND"] == 0.0
    mine = web.api("GET", "/api/stats/bodies", "hdnd").json()
    assert [b["body"] for b in mine["items"]] == ["HDND"]


def test_statistics_are_paged(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    """The per-cycle statistics take limit/offset like every list (years of closed
    cycles are not counted at once); a bad page is a 422."""
    now(AFTER_DUE)
    cycles = web.api("GET", "/api/stats/cycles?include_closed=true&limit=1", "lanhdao").json()
    assert [(c["ref"], c["overdue"], c["total"]) for c in cycles] == [("QD238/2024-H1", 7, 7)]
    assert web.api("GET", "/api/stats/cycles?offset=1", "lanhdao").json() == []
    for bad in ("limit=0", "limit=501", "offset=-1"):
        assert web.api("GET", f"/api/stats/cycles?{bad}", "lanhdao").status_code == 422
    bodies = web.api("GET", "/api/stats/bodies?limit=2&offset=5", "lanhdao").json()
    assert ([b["body"] for b in bodies["items"]], bodies["total"]) == (["UBND", "VKSND"], 7)
    overdue = web.api("GET", "/api/dashboard/overdue?limit=3&offset=6", "lanhdao").json()
    assert ([r["body"] for r in overdue["items"]], overdue["total"]) == (["VKSND"], 7)


def test_synthesize_and_report(web: Web) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    web.api("POST", f"/api/tasks/{task}/review", "khoa", json={"decision": "accept"})
    before = web.api("GET", f"/api/cycles/{web.cycle_id}/report", "khoa")
    assert before.status_code == 404
    # The six others are still within their deadline: closing now is refused, naming them.
    refused = web.api("POST", f"/api/cycles/{web.cycle_id}/synthesize", "khoa")
    assert refused.status_code == 409
    waiting = [b["body"] for b in refused.json()["blockers"]]
    assert waiting == ["HDND", "VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"]
    assert refused.json()["blockers"][0]["reason"] == "within_deadline"
    draft = web.api("GET", f"/api/cycles/{web.cycle_id}/draft", "khoa").json()
    assert [b["body"] for b in draft["blockers"]] == waiting
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in draft["markdown"]
    assert web.api("GET", f"/api/cycles/{web.cycle_id}/report", "khoa").status_code == 404
    done = web.api(
        "POST", f"/api/cycles/{web.cycle_id}/synthesize", "khoa", json={"leave_out": waiting}
    )
    assert done.status_code == 200, done.text
    assert sorted(done.json()["left_out"]) == sorted(waiting)
    report = web.api("GET", f"/api/cycles/{web.cycle_id}/report", "khoa")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/markdown")
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in report.text
    word = web.api("GET", f"/api/cycles/{web.cycle_id}/report?format=docx", "khoa")
    assert word.headers["content-type"] == DOCX
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in text
    twice = web.api("POST", f"/api/cycles/{web.cycle_id}/synthesize", "khoa")
    assert twice.status_code == 409
    closed = web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    assert closed.status_code == 409


def test_unknown_things_are_404(web: Web) -> None:
    assert web.api("GET", "/api/tasks/999", "khoa").status_code == 404
    assert web.api("GET", "/api/cycles/999", "khoa").status_code == 404
    assert web.api("POST", "/api/cycles/999/synthesize", "khoa").status_code == 404
    assert web.api("GET", "/api/nothing-here", "khoa").json() == {
        "error": "Không tìm thấy.",
        "error_en": "Not Found",
    }
    english = web.api("GET", "/api/nothing-here?lang=en", "khoa").json()
    assert english == {"error": "Not Found"}


def test_cycle_list_holds_only_the_cycles_a_body_takes_part_in_or_coordinates(web: Web) -> None:
    from dataclasses import replace

    from services import accounts, clock
    from web import queries

    khoa = accounts.principal_for_token(web.tokens["khoa"], now=clock.now())
    assert khoa is not None and khoa.body_code == "BTGTU"  # coordinates, has no task itself
    assert [c["ref"] for c in queries.cycles_for(khoa)] == ["QD238/2024-H1"]
    same_body_agency = replace(khoa, role="agency")
    assert queries.cycles_for(same_body_agency) == []
