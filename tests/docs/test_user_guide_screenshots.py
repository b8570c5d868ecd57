"""Screenshots for docs/user-guide.md, taken from the real widgets over demo data.

Every run writes them to tests/screenshots/docs/ (not committed) and checks they are real
pictures. With UPDATE_DOC_SCREENSHOTS=1 they are also written to docs/images/, which is how the
committed ones are made:

    UPDATE_DOC_SCREENSHOTS=1 .venv/bin/python -m pytest tests/docs -q

The states come from ``collector demo`` (a province: applicants → units → 盟市/厅局 → region, real keys,
packages and a disc image) plus a few extra invented candidates from ``collector.record.sample``.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["COLLECTOR_NO_FIRST_RUN"] = "1"

from PIL import Image  # noqa: E402  (reportlab depends on Pillow)
from PySide6.QtCore import QBuffer, QIODevice  # noqa: E402

from collector.record.sample import make_candidate  # noqa: E402
from collector.storage.store import Store, strip_meta  # noqa: E402
from collector.exchange import keyring

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots" / "docs"
DOC_IMAGES = ROOT / "docs" / "images"
UPDATE = os.environ.get("UPDATE_DOC_SCREENSHOTS") == "1"
PASS = "demo-passphrase"  # the demo's passphrase for every installation
# The main window as it opens on a 1366×768 laptop (ui.window_state.fit: frame inside the screen).
SCREEN = (1366, 768)
WIDTH, HEIGHT = 1350, 721


def save_shot(widget, name: str, shows: tuple[str, ...] = ()) -> Path:
    """Grab ``widget``, reduce it to a 256-colour PNG (UI pictures lose nothing visible) and save;
    ``shows``: words the user guide says the picture shows, checked in the widget's visible text."""
    from tests.visible import assert_shows

    assert shows, f"{name}: say what the picture shows"
    assert_shows(widget, *shows, name=name)
    image = widget.grab().toImage()
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    image.save(buf, "PNG")
    pil = Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")
    small = pil.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    small.save(path, optimize=True)
    check_picture(path)
    if UPDATE:
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_IMAGES / path.name)
    return path


def check_picture(path: Path) -> None:
    with Image.open(path) as im:
        assert im.width >= 500 and im.height >= 250, f"{path.name}: {im.size}"
        colors = im.convert("RGB").getcolors(maxcolors=1 << 16) or []
        assert len(colors) > 16, f"{path.name}: only {len(colors)} colours"
        biggest = max(n for n, _ in colors)
        assert biggest < 0.97 * im.width * im.height, f"{path.name} is almost one colour"
    assert path.stat().st_size < 400_000, f"{path.name} is too big for the docs"


@pytest.fixture(autouse=True)
def _qt(qapp):
    from ui import errors, style

    errors.set_non_blocking(True)
    style.apply(qapp)
    yield


@pytest.fixture(scope="module")
def work():
    """A fixed, short folder when the committed pictures are made, so the paths they show are
    the same on every run; otherwise a private one, so that two test runs cannot collide."""
    if os.environ.get("UPDATE_DOC_SCREENSHOTS") == "1":
        root = Path(tempfile.gettempdir()) / "tc-docs"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
    else:
        root = Path(tempfile.mkdtemp(prefix="tc-docs-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def demo(work):
    """The whole demo pipeline (about 4 s): its databases, packages and disc image."""
    from collector.demo.pipeline import run_demo

    root = work / "收到的报送"
    old = os.environ.get("COLLECTOR_PASSPHRASE")
    run_demo(root, count=4)
    if old is None:
        os.environ.pop("COLLECTOR_PASSPHRASE", None)
    return root


def PROVINCE(demo: Path) -> Path:
    return demo / "province"


def UNIT(demo: Path) -> Path:
    """The first unit under 包头市 in the demo province."""
    return PROVINCE(demo) / "unit-包头市-1"


def LEAGUE(demo: Path) -> Path:
    return PROVINCE(demo) / "office-包头市"


@contextmanager
def main_window(qtbot, db: Path):
    """The store at ``db`` and a main window over it; the window closes before the store."""
    from ui.main_window import MainWindow

    store = Store(db)
    win = MainWindow(store)
    win.resize(WIDTH, HEIGHT)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(30)
    try:
        yield store, win
    finally:
        win.deleteLater()
        store.close()


def reload(win, cid: str) -> None:
    """Show ``cid`` again after the test changed it in the store (never the editor's stale copy)."""
    win.editor.dirty = False
    win.editor.load(cid)


def wait_op(qtbot, op) -> None:
    assert op is not None
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=30000)
    assert op.outcome == "done", op.error


def show_tab(qtbot, win, title: str):
    tabs = win.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    tabs.setCurrentIndex(index)
    qtbot.wait(30)
    return tabs.widget(index)


def set_role(store, role: str, unit: str = "", channel: str = "") -> None:
    from collector.office.profile import save_profile

    save_profile(store, role=role, unit=unit, channel_name=channel or None)


def test_pictures_are_taken_at_the_size_of_a_1366x768_screen():
    from PySide6.QtCore import QRect

    from ui.window_state import PREFERRED, fit

    size = fit(QRect(0, 0, *SCREEN), PREFERRED).size()
    assert (size.width(), size.height()) == (WIDTH, HEIGHT)


# -- 申报人 ------------------------------------------------------------------------------------------
def test_applicant_screens(qtbot, work, demo):
    from PySide6.QtWidgets import QWizard

    from ui.dialogs.settings import SettingsDialog

    folder = work / "申报人"
    folder.mkdir()
    with main_window(qtbot, folder / "collector.db") as (store, win):
        dialog = SettingsDialog(store, win, first_run=True)
        dialog.role.setCurrentIndex(dialog.role.findData("applicant"))
        dialog.unit.setText("包头稀土研究院")
        dialog.channel_kind.setCurrentText("盟市")
        dialog.channel_name.setCurrentText("包头市")
        dialog.show()
        qtbot.waitExposed(dialog)
        save_shot(dialog, "applicant-first-run", shows=("首次使用设置", "包头稀土研究院", "包头市", "就可以开始填表了"))
        dialog.accept()
        win.profile_changed()

        blank = win.new_candidate()
        qtbot.wait(200)
        assert win.editor.banner.property("state") == "none"  # a new form is neutral
        save_shot(win, "applicant-new-form", shows=("新表格", "检查全部", "只检查了已填写的项目"))
        win.editor.load(None)
        store.delete(blank)
        win.reload_list()

        record = make_candidate(7)
        record.update(employer="包头稀土研究院", employer_type="科研院所", unit_category="事业",
                      unit_ownership="全民",
                      channel={"kind": "盟市", "name": "包头市"}, conditions=[1, 3])
        record["condition_statements"] = {
            "1": "（示例）主持稀土永磁材料基础研究，成果处于国内领先。",
            "3": "（示例）作为负责人承担国家重点研发计划课题，带领 12 人创新团队。"}
        record["contact"]["mobile"] = "1390472"
        record.update(pledge=False, ethnicity="")
        cid = store.save(record)
        win.reload_list(select=cid)
        qtbot.wait(200)
        assert "尚未填完整" in win.editor.banner.text()
        save_shot(win, "applicant-incomplete",
                  shows=("✔ 符合申报条件，但表格尚未填完整", "[错误] 诚信承诺", "[错误] 联系方式·手机", "[提示] 民族"))

        record = store.get(cid).data
        record["contact"]["mobile"] = "13904721234"
        record.update(pledge=True, ethnicity="蒙古族")
        old_birth, old_level = record["birth_date"], record["title_level"]
        record.update(birth_date="1962-05-01", title_level="中级")
        store.save(record, candidate_id=cid)
        reload(win, cid)
        qtbot.wait(200)
        assert "不符合申报条件" in win.editor.banner.text()
        save_shot(win, "applicant-not-eligible", shows=("✘ 不符合申报条件", "[错误] 职称级别", "1962-05-01"))
        record.update(birth_date=old_birth, title_level=old_level)
        store.save(record, candidate_id=cid)
        reload(win, cid)
        win.editor.tabs.setCurrentIndex(2)
        qtbot.wait(200)
        assert win.editor.banner.text().startswith("✔ 符合申报条件")
        save_shot(win, "applicant-conditions",
                  shows=("✔ 符合申报条件 （信息完整）", "本人符合条件1", "（示例）主持稀土永磁材料基础研究"))

        evidence = folder / "扫描件"
        evidence.mkdir()
        for name, blob in (("高级职称证书.pdf", b"%PDF-1.4 demo\n" * 400),
                           ("自治区科技进步奖证书.jpg", b"\xff\xd8\xff demo" * 800),
                           ("国防项目验收意见.pdf", b"%PDF-1.4 classified demo\n" * 300)):
            (evidence / name).write_bytes(blob)
        store.attach(cid, evidence / "高级职称证书.pdf", title="高级工程师资格证书", category="职称证书")
        store.attach(cid, evidence / "自治区科技进步奖证书.jpg", title="自治区科学技术进步奖一等奖",
                     category="获奖证书")
        store.attach(cid, evidence / "国防项目验收意见.pdf", title="某项目验收意见", category="项目证明",
                     classified=True)
        reload(win, cid)
        win.editor.tabs.setCurrentIndex(4)
        qtbot.wait(200)
        assert any(f.rule == "CLASSIFIED" for f in win.editor.findings)
        save_shot(win, "applicant-attachments",
                  shows=("[错误] 佐证材料·第3行·已脱密处理", "高级工程师资格证书", "国防项目验收意见.pdf", "添加文件…"))
        record = store.get(cid).data
        record["attachments"][2]["declassified"] = True
        store.save(record, candidate_id=cid)
        reload(win, cid)
        assert not [str(f) for f in win.editor.findings if f.is_error]

        keyring.import_recipient(store, UNIT(demo) / "public.pub", "包头稀土研究院人事处（演示）")
        wizard = win.open_pack_wizard()
        qtbot.waitExposed(wizard)
        assert wizard.check_page.isComplete()
        save_shot(wizard, "applicant-wizard-1-check", shows=("第一步：检查", "已选 1 人：检查通过。"))
        wizard.next()
        assert len(wizard.recipients_page.chosen()) == 2
        save_shot(wizard, "applicant-wizard-2-recipients",
                  shows=("第二步：选择接收方", "自治区人力资源和社会保障厅（演示）", "包头稀土研究院人事处（演示）"))
        wizard.next()
        page = wizard.passphrase_page
        page.passphrase.setText(PASS)
        page.confirm.setText(PASS)
        page.out.setText(str(folder / "人才信息采集报送" / "易晶浩_申报.rpu"))
        save_shot(wizard, "applicant-wizard-3-passphrase", shows=("第三步：口令与文件", "易晶浩_申报.rpu"))
        wizard.next()
        qtbot.waitUntil(lambda: wizard.packed is not None, timeout=30000)
        wizard.next()
        wait_op(qtbot, wizard.done_page.print_forms(open_files=False))
        save_shot(wizard, "applicant-wizard-5-done", shows=("第五步：打印与交付", "签名指纹：", "已生成 1 份登记表"))
        wizard.button(QWizard.FinishButton).click()

        # The key stays unlocked for the session; after 锁定 the second time asks the passphrase.
        from PySide6.QtGui import QAction

        win.findChild(QAction, "lockAction").trigger()
        wizard = win.open_pack_wizard()
        qtbot.waitExposed(wizard)
        wizard.next()
        wizard.next()
        page = wizard.passphrase_page
        page.passphrase.setText("wrong passphrase")
        page.out.setText(str(folder / "人才信息采集报送" / "易晶浩_申报_修改后.rpu"))
        wizard.next()  # the key is unsealed in the worker
        qtbot.waitUntil(lambda: "口令不正确" in page.error.text(), timeout=30000)
        assert wizard.currentPage() is page
        save_shot(wizard, "trouble-wrong-passphrase", shows=("口令不正确，无法解开本机私钥，请重新输入"))
        wizard.reject()

        settings = SettingsDialog(store, win)
        settings.show()
        qtbot.waitExposed(settings)
        assert "本机密钥指纹" in settings.fingerprint.text()
        save_shot(settings, "settings-keys", shows=("重新生成密钥…", "本机密钥指纹", "包头稀土研究院人事处（演示）"))
        settings.reject()


# -- 单位人事部门 -------------------------------------------------------------------------------------
def test_unit_screens(qtbot, demo):
    from collector.office import decisions, inbox
    from collector.office.profile import load_profile
    from collector.exchange.keyring import load_identity

    tampered = demo / "改动过的_申报.rpu"
    data = bytearray((PROVINCE(demo) / "applicant-02" / "申报.rpu").read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    other = demo / "发给别人的_申报.rpu"
    shutil.copyfile(demo / "applicant.rpu", other)  # sealed for the region demo office only
    with Store(UNIT(demo) / "collector.db") as store:
        got = inbox.import_many(store, [tampered, other], load_identity(store, PASS))
        assert len(got.refused) == 2
        for c in store.all():
            decisions.set_opinion(store, c.id, "该同志政治素质好，业绩突出，同意推荐。",
                                  load_profile(store))
    with main_window(qtbot, UNIT(demo) / "collector.db") as (store, win):
        assert win.tabs.count() == 4
        show_tab(qtbot, win, "收件箱")
        save_shot(win, "unit-inbox", shows=("已导入 2 个，拒收 2 个", "申报.rpu", "文件已损坏或被篡改"))
        page = show_tab(qtbot, win, "审核与名额")
        page.table.selectRow(0)
        qtbot.wait(30)
        save_shot(win, "unit-review", shows=("名额：包头市（盟市）：推荐 2 / 名额 5", "只读：这里只能查看，不能修改"))
        from ui.office.paper_check import PaperCheckDialog

        check = PaperCheckDialog(store, win)
        check.show()
        qtbot.waitExposed(check)
        for text in ("TCF1:0000000000000000:0000000000000000:150102197910050019", "12AB"):
            check.field.setText(text)
            check.scan()
        save_shot(check, "unit-paper-check", shows=("本次已扫描 2 份", "关闭"))
        check.close()
        show_tab(qtbot, win, "上报与光盘")
        save_shot(win, "unit-export", shows=("推荐报告信息", "已标记推荐 2 名", "已过2017年度报送截止日期",
                                             "制作报送光盘…"))


# -- 盟市 / 厅局 ---------------------------------------------------------------------------------------
def test_office_screens(qtbot, work, demo):
    from collector.office import decisions
    from collector.exchange.keyring import generate_identity, import_recipient, load_identity
    from collector.exchange.packing import pack
    from collector.exchange.keyring import default_recipients

    # The same person as the first unit's first applicant, sent again straight to the office.
    again = demo / "宋鹏杰_直接报送.rpu"
    with Store(work / "again.db") as store:
        generate_identity(store, PASS, "申报人（再次报送）")
        with Store(PROVINCE(demo) / "applicant-01" / "collector.db") as first:
            store.save(strip_meta(next(first.all()).data))
        import_recipient(store, LEAGUE(demo) / "public.pub")
        pack(store, [], again, identity=load_identity(store, PASS),
             recipients=default_recipients(store))
    db = LEAGUE(demo) / "collector.db"
    with main_window(qtbot, db) as (store, win):
        inbox_page = show_tab(qtbot, win, "收件箱")
        wait_op(qtbot, inbox_page.import_paths([str(again)], passphrase=PASS))
        assert inbox_page.duplicates.isVisible()
        save_shot(win, "office-inbox",
                  shows=("重复报送（DUPLICATE，未处理）", "宋鹏杰_直接报送.rpu", "重复，未导入", "以此份替换…"))
        show_tab(qtbot, win, "上报与光盘")
        save_shot(win, "office-export", shows=("包头市人社局（演示）", "已标记推荐 4 名", "生成上报包（.rpu）…"))
        for i in range(2):
            record = make_candidate(400 + i)
            record["channel"] = {"kind": "盟市", "name": "包头市"}
            cid = store.save(record, source={"file": "本机录入"})
            decisions.decide(store, cid, decisions.RECOMMEND, "")
        page = show_tab(qtbot, win, "审核与名额")
        page.refresh()
        assert "超出名额" in page.quota.text()
        page.details_button.click()  # the quota's details, on demand
        page.table.selectRow(2)
        qtbot.wait(30)
        save_shot(win, "office-quota-exceeded", shows=("超出名额", "包头市推荐6人，超过盟市名额上限5人"))
        from collector.office import pack_confirm as pc
        from ui.office.pack_confirm_dialog import PackConfirmDialog

        record = make_candidate(250)
        record["channel"] = {"kind": "盟市", "name": "呼和浩特市"}
        store.save(record, source={"file": "本机录入"})
        confirm = PackConfirmDialog(store, pc.concerns(store), win)
        confirm.show()
        qtbot.waitExposed(confirm)
        save_shot(confirm, "office-pack-confirm", shows=("非本渠道人选", "呼和浩特市", "确认并继续"))
        confirm.reject()


# -- 自治区 ---------------------------------------------------------------------------------------------
def test_region_screens(qtbot, demo):
    from collector import review as rv

    db = PROVINCE(demo) / "region" / "collector.db"
    # Score order by design: the province's ten first (包头市 4, 呼和浩特市 4, 农牧业厅 2), then two
    # more from 呼和浩特市 (the sixth is over the 盟市 quota of 5), three from 内蒙古大学 (the third
    # is over the 区直单位 quota of 2), then other 盟市; 15 fit, the last ones are over the total.
    channels = ([("盟市", "呼和浩特市")] * 2 + [("区直单位", "内蒙古大学")] * 3
                + [("盟市", n) for n in ("赤峰市", "通辽市", "鄂尔多斯市", "呼伦贝尔市", "兴安盟")])
    with Store(db) as store:
        order = [c.id for c in store.all()]
        for i, (kind, name) in enumerate(channels):
            record = make_candidate(300 + i)
            record["channel"] = {"kind": kind, "name": name}
            order.append(store.save(record, source={"file": "（演示）各盟市、区直单位报送"}))
    place = {cid: n for n, cid in enumerate(order)}
    with main_window(qtbot, db) as (store, win):
        show_tab(qtbot, win, "收件箱")
        save_shot(win, "region-inbox", shows=("已导入 3 个，拒收 0 个", "包头市人社局（演示）_20170420.rpu"))
        page = show_tab(qtbot, win, "专家评审")
        page.new_round()
        rnd = page.round
        assert rnd is not None and len(rnd.candidates) == 20
        crits = rnd.rules.criteria
        for e, expert in enumerate(("赵专家", "钱专家", "孙专家", "李专家", "周专家")):
            rv.add_expert(store, rnd, expert)
            entries = {cand.id: {c.id: f"{9.8 - 0.3 * place[cand.id] + 0.1 * (e % 2) - 0.1 * (j % 2):.1f}"
                                 for j, c in enumerate(crits)}
                       for cand in rnd.candidates}
            rv.enter_scores(store, rnd, expert, entries)
        page.refresh()
        ranking = rv.ranking_for(store, page.round)
        assert ranking.ready and not ranking.pending and len(ranking.selected) == 15
        assert sum(r.decision == rv.CUT for r in ranking.rows) == 5
        page.expert_list.setCurrentRow(0)
        page.tabs.setCurrentIndex(0)
        page.rank_table.scrollToBottom()
        qtbot.wait(50)
        save_shot(win, "region-review-ranking", shows=("（进行中，20 人）", "超过本渠道名额", "名额已满（全区推荐名额15人）"))
        page.tabs.setCurrentIndex(1)
        qtbot.wait(50)
        save_shot(win, "region-review-entry", shows=("专家 赵专家 的评分：分值 0–10", "9.8"))


# -- 密钥登记与年度配置包 ---------------------------------------------------------------------------
def test_trust_screens(qtbot, work, demo):
    """The region's configuration imported by a new installation; a 盟市's register of its units."""
    from ui.dialogs.trust import TrustDialog

    province = PROVINCE(demo)
    config = next(province.glob("年度配置包-*.tcy"))
    with Store(province / "region" / "collector.db") as store:
        from collector.exchange.keyring import stored_public

        fingerprint = stored_public(store).fingerprint
    with Store(work / "新安装" / "collector.db") as store:
        dialog = TrustDialog(store)
        dialog.resize(900, 540)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.config_file.setText(str(config))
        dialog.region_fp.setText("-".join(fingerprint[i:i + 4].upper() for i in range(0, 20, 4)))
        assert dialog.import_config()
        qtbot.wait(50)  # the labels' new lines laid out, as the user sees them
        save_shot(dialog, "trust-config-import", shows=("已导入", "年度配置包第 1 版", "自治区密钥指纹", "核对并导入"))
        dialog.close()
    with Store(LEAGUE(demo) / "collector.db") as store:
        dialog = TrustDialog(store)
        dialog.resize(900, 540)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.tabs.setCurrentIndex(1)
        qtbot.wait(30)
        save_shot(dialog, "trust-register", shows=("密钥登记", "包头稀土研究院（演示）", "纸质登记表",
                                                   "打印本单位的密钥登记表…"))
        dialog.close()
