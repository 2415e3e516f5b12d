"""``program update`` and ``program show``: a program's terms, version by version.

Registered under ``program`` by :mod:`commands.org`. An update makes a new version
for the cycles opened from then on (services.versions); ``show`` lists them.
"""

from __future__ import annotations

import argparse
from typing import Any

from commands.language import say
from commands.output import Answer, actor, actor_option, plain, table


def register(program: Any, common: argparse.ArgumentParser) -> None:
    p = program.add_parser(
        "update",
        parents=[common],
        help="new terms for a program's future cycles, from the same YAML as add",
        description="The outline, ladder, working days and cut-off day become a new version "
        "for the cycles opened from now on; cycles already opened keep theirs. The title, "
        "legal basis, leadership, schedule and parent-extension policy change in place, and "
        "bodies added take part from the next cycle. The same file twice changes nothing.",
    )
    p.add_argument("file")
    actor_option(p)
    p.set_defaults(handler=program_update)
    p = program.add_parser(
        "show", parents=[common], help="a program's current terms and every version of them"
    )
    p.add_argument("program", help="program code")
    p.set_defaults(handler=program_show)


def program_update(args: argparse.Namespace) -> Answer:
    from services import clock, loaders, registry

    spec = loaders.load_program(args.file)
    result = registry.update_program(spec, now=clock.now(), actor=actor(args))
    if not result.created and not result.changed and not result.added_bodies:
        line = say(
            f"Chương trình {result.code}: không có gì thay đổi (vẫn là phiên bản {result.version})",
            f"Program {result.code}: nothing changed (still version {result.version})",
        )
    elif result.created:
        line = say(
            f"Chương trình {result.code}: phiên bản {result.version}, áp dụng cho các kỳ mở "
            f"từ nay ({', '.join(result.changed)}); các kỳ đã mở giữ phiên bản cũ",
            f"Program {result.code}: version {result.version}, for the cycles opened from now "
            f"on ({', '.join(result.changed)}); cycles already opened keep theirs",
        )
    else:
        changed = ", ".join([*result.changed, *(f"+{b}" for b in result.added_bodies)])
        line = say(
            f"Chương trình {result.code}: đã cập nhật ({changed}); vẫn là phiên bản "
            f"{result.version}",
            f"Program {result.code}: updated ({changed}); still version {result.version}",
        )
    return Answer(result.as_dict(), lambda c: c.print(line))


def program_show(args: argparse.Namespace) -> Answer:
    from rules.timezone import vn_date
    from services import registry, versions

    code = args.program
    found = [p for p in registry.program_dicts() if p["code"] == code]
    history = versions.program_versions(code)  # unknown program: one line
    data = found[0] | {"versions": history}

    def render(c: Any) -> None:
        current = data
        c.print(
            f"[bold]{plain(current['code'])}[/bold] {plain(current['title'])} — "
            + say(f"phiên bản {current['version']}", f"version {current['version']}"),
            markup=True,
        )
        c.print(
            table(
                say("Các phiên bản", "Versions"),
                say(
                    "Phiên bản|Áp dụng từ|Số kỳ|Gửi|Xem xét|Tổng hợp|Đề cương|Thang đôn đốc",
                    "Version|Valid from|Cycles|Provide|Review|Synthesis|Outline|Ladder",
                ).split("|"),
                [
                    [
                        v["version"],
                        vn_date(v["valid_from"]),
                        v["cycles"],
                        v["working_days"]["provide"],
                        v["working_days"]["review"],
                        v["working_days"]["synthesis"],
                        "; ".join(f"{s['code']}. {s['title']}" for s in v["outline"]),
                        ", ".join(
                            str(step["after_working_days"])
                            for step in v["escalation"].get("ladder", [])
                        ),
                    ]
                    for v in history
                ],
            )
        )

    return Answer(data, render)
