"""GUI screens show core messages without command-line hints (issue 26)."""

from __future__ import annotations

import pytest

from ui.screen_text import for_screen


@pytest.mark.parametrize("message, shown", [
    ("推荐报告正文未写“公示”：公示后请勾选“已公示”（collector report-info --publicized），或自拟正文",
     "推荐报告正文未写“公示”：公示后请勾选“已公示”，或自拟正文"),
    ("须写明理由（审核与名额 → 确认报送…，或 collector pack-confirm ID --reason 理由）；上报包未生成",
     "须写明理由（审核与名额 → 确认报送…）；上报包未生成"),
    ("可以在收件箱处理，或 collector accept 身份证号 --reason 理由。", "可以在收件箱处理。"),
    ("没有命令行提示的消息（保持原样）", "没有命令行提示的消息（保持原样）"),
])
def test_command_line_hints_are_left_out_on_gui_screens(message, shown):
    assert for_screen(message) == shown
