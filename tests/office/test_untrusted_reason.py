"""The untrusted-signer list read back and applied (``exchange.untrusted``): the exact refusal
a marked key gets, matching by prefix and in any case, and a list setting damaged by hand or by
an older release read as what it still says."""

from __future__ import annotations

from collector.common.fingerprint import short
from collector.exchange import untrusted
from collector.storage.store import Store

SIGNER = "ab12cd34" * 8


def _store(tmp_path) -> Store:
    return Store(tmp_path / "office.db")


def test_a_marked_key_is_refused_with_the_exact_reason_and_how_to_undo_it(tmp_path):
    store = _store(tmp_path)
    assert untrusted.untrusted_reason(store, SIGNER) is None
    untrusted.mark_untrusted(store, SIGNER[:20], "冒名报送")
    expected = (f"签名密钥 {short(SIGNER)} 已被本机标记为不可信（冒名报送），报送包被拒收；"
                "如确属误标，请先取消标记（collector signers --trust 指纹）")
    assert untrusted.untrusted_reason(store, SIGNER) == expected
    assert untrusted.untrusted_reason(store, SIGNER.upper()) == expected  # typed in capitals
    assert untrusted.untrusted_reason(store, "ff" + SIGNER[2:]) is None  # a prefix, not a part


def test_a_mark_without_a_note_says_no_empty_brackets(tmp_path):
    store = _store(tmp_path)
    untrusted.mark_untrusted(store, SIGNER)
    reason = untrusted.untrusted_reason(store, SIGNER)
    assert reason is not None and "（）" not in reason
    assert reason.startswith(f"签名密钥 {short(SIGNER)} 已被本机标记为不可信，报送包被拒收")


def test_the_first_matching_mark_gives_the_reason(tmp_path):
    marked = [{"fingerprint": "99" * 8, "note": "别的"},
              {"fingerprint": SIGNER[:16], "note": "第一条"},
              {"fingerprint": SIGNER, "note": "第二条"}]
    reason = untrusted.untrusted_in(marked, SIGNER)
    assert reason is not None and "（第一条）" in reason and "第二条" not in reason
    assert untrusted.untrusted_in([], SIGNER) is None


def test_a_damaged_list_is_read_as_what_it_still_says(tmp_path):
    store = _store(tmp_path)
    store.set_setting(untrusted.SETTING, {"fingerprint": SIGNER})  # not a list
    assert untrusted.list_untrusted(store) == []
    assert untrusted.untrusted_reason(store, SIGNER) is None
    good = {"fingerprint": SIGNER, "note": "冒名", "at": "2017-04-20T09:30:00+08:00"}
    store.set_setting(untrusted.SETTING, ["ab" * 8, None, {"note": "无指纹"},
                                          {"fingerprint": ""}, good])
    assert untrusted.list_untrusted(store) == [good]
    assert "（冒名）" in untrusted.untrusted_reason(store, SIGNER)
    # Marking again over a damaged list keeps only what is readable.
    untrusted.mark_untrusted(store, "cd" * 8, "另一把")
    assert [v["fingerprint"] for v in untrusted.list_untrusted(store)] == [SIGNER, "cd" * 8]
