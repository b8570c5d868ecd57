"""The region's 专家评审 page: rounds, experts, score sheets (export/import), direct entry, and
the ranking with the final list. All logic is in ``collector.review``; this only shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QMessageBox, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from collector import review as rv
from collector.common.errors import CollectorError
from ui.roles import PageLifecycle
from ui.file_dialogs import start_dir, suggested

from .ranking_table import RankingTable, share_text
from ..style import GroupBox, fit_header


class ReviewPage(QWidget, PageLifecycle):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.round: rv.Round | None = None
        self.setObjectName("reviewPage")
        self.last_error = ""  # the last message shown, for tests and the status line

        top = QHBoxLayout()
        top.addWidget(QLabel("评审轮次："))
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(320)
        self.round_box.currentIndexChanged.connect(self._round_chosen)
        top.addWidget(self.round_box, 1)
        self.new_button = QPushButton("新建评审轮次")
        self.new_button.setToolTip("以数据库中全部候选人新建一轮专家评审")
        self.new_button.clicked.connect(self.new_round)
        self.close_button = QPushButton("结束本轮")
        self.close_button.clicked.connect(self.close_round)
        top.addWidget(self.new_button)
        top.addWidget(self.close_button)
        self.status = QLabel()
        self.status.setWordWrap(True)

        experts_box = GroupBox("评审专家")
        ev = QVBoxLayout(experts_box)
        self.expert_list = QListWidget()
        self.expert_list.currentRowChanged.connect(lambda _r: self._expert_chosen())
        ev.addWidget(self.expert_list)
        row = QHBoxLayout()
        self.expert_edit = QLineEdit()
        self.expert_edit.setPlaceholderText("专家姓名")
        self.expert_edit.returnPressed.connect(self.add_expert)
        add = QPushButton("添加")
        add.clicked.connect(self.add_expert)
        row.addWidget(self.expert_edit)
        row.addWidget(add)
        ev.addLayout(row)
        for text, slot in (("导出评分表（Excel）…", lambda: self.ask_export("xlsx")),
                           ("打印评分表（PDF）…", lambda: self.ask_export("pdf")),
                           ("导入填好的评分表…", self.ask_import),
                           ("移除专家", self.remove_expert)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            ev.addWidget(b)

        self.tabs = QTabWidget()
        entry = QWidget()
        lv = QVBoxLayout(entry)
        self.entry_label = QLabel("选择左侧的专家后，在此直接录入评分（空白表示未评）")
        self.entry_table = QTableWidget()
        self.entry_table.setObjectName("scoreEntry")
        self.replace_box = QCheckBox("替换已有评分（导入评分表和直接录入时）")
        save = QPushButton("保存评分")
        save.clicked.connect(self.save_entry)
        bottom = QHBoxLayout()
        bottom.addWidget(self.replace_box)
        bottom.addStretch(1)
        bottom.addWidget(save)
        lv.addWidget(self.entry_label)
        lv.addWidget(self.entry_table, 1)
        lv.addLayout(bottom)
        ranking = QWidget()
        rl = QVBoxLayout(ranking)
        self.rank_label = QLabel()
        self.rank_label.setWordWrap(True)
        self.rank_table = RankingTable()
        self.share_label = QLabel()
        self.share_label.setWordWrap(True)
        self.tiebreak_button = QPushButton("专家组商议定序…")
        self.tiebreak_button.setObjectName("tieBreakButton")
        self.tiebreak_button.setToolTip("并列人选跨过名额线时，记录专家组商议确定的先后顺序和理由")
        self.tiebreak_button.setEnabled(False)
        self.tiebreak_button.clicked.connect(self.ask_tiebreak)
        rl.addWidget(self.rank_label)
        rl.addWidget(self.rank_table, 1)
        self.pack_button = QPushButton("生成报部材料…")
        self.pack_button.setObjectName("ministryPackButton")
        self.pack_button.setToolTip("把推荐名单、专家评审结果和下级报送包签名并加密给人社部"
                                    "（与命令 collector review pack 相同）")
        self.pack_button.clicked.connect(lambda: self.ask_pack())
        rl.addWidget(self.share_label)
        tb_row = QHBoxLayout()
        tb_row.addStretch(1)
        tb_row.addWidget(self.tiebreak_button)
        tb_row.addWidget(self.pack_button)
        rl.addLayout(tb_row)
        self.tabs.addTab(ranking, "排名与推荐名单")
        self.tabs.addTab(entry, "直接录入评分")

        split = QSplitter()
        split.addWidget(experts_box)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.refresh()

    # -- helpers ------------------------------------------------------------------------------
    def _run(self, title: str, action, parent: QWidget | None = None) -> bool:
        """Run a core call; a CollectorError becomes one message, nothing else changes."""
        try:
            action()
            self.last_error = ""
            return True
        except CollectorError as err:
            self.last_error = str(err)
            from ui.errors import show_error

            show_error(parent or self, title, err)
            return False

    @property
    def expert(self) -> str | None:
        item = self.expert_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.round.id if self.round else None
        rounds = rv.list_rounds(self.store)
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for r in rounds:
            state = "进行中" if r["status"] == "open" else "已结束"
            self.round_box.addItem(f"{r['id']}（{state}，{r['candidates']} 人）{r['title']}", r["id"])
        ids = [r["id"] for r in rounds]
        if ids:
            self.round_box.setCurrentIndex(ids.index(current) if current in ids else len(ids) - 1)
        self.round_box.blockSignals(False)
        self._round_chosen()

    def _round_chosen(self, *_args) -> None:
        rid = self.round_box.currentData()
        self.round = rv.get_round(self.store, rid) if rid else None
        self.close_button.setEnabled(bool(self.round and self.round.is_open))
        if self.round is None:
            self.status.setText("还没有评审轮次。导入各盟市、区直单位的报送后，点“新建评审轮次”。")
        self._load_experts()
        self._load_ranking()

    def _load_experts(self) -> None:
        keep = self.expert
        self.expert_list.blockSignals(True)
        self.expert_list.clear()
        if self.round:
            cells = self.round.cells_per_expert
            for e in rv.experts(self.store, self.round):
                done = "已完成" if e.submitted_at else f"{e.scored}/{cells}"
                self.expert_list.addItem(f"{e.name}　{done}")
                item = self.expert_list.item(self.expert_list.count() - 1)
                item.setData(Qt.ItemDataRole.UserRole, e.name)
                if e.name == keep:
                    self.expert_list.setCurrentItem(item)
        self.expert_list.blockSignals(False)
        self._expert_chosen()

    def _expert_chosen(self) -> None:
        rnd, expert = self.round, self.expert
        t = self.entry_table
        t.clear()
        if not rnd:
            t.setRowCount(0)
            t.setColumnCount(0)
            return
        crits = rnd.rules.criteria
        t.setColumnCount(len(crits))
        t.setRowCount(len(rnd.candidates))
        # 学术技术水平 / （条件一） / 20%: the header breaks before its bracket, never clipped
        t.setHorizontalHeaderLabels([f"{c.name.replace('（', chr(10) + '（')}\n{c.weight}%"
                                     for c in crits])
        t.setVerticalHeaderLabels([f"{c.position} {c.name}" for c in rnd.candidates])
        given = rv.scores(self.store, rnd).get(expert, {}) if expert else {}
        for r, cand in enumerate(rnd.candidates):
            for k, crit in enumerate(crits):
                value = given.get(cand.id, {}).get(crit.id)
                text = "" if value is None else _plain(value)
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, text)
                t.setItem(r, k, item)
        t.resizeColumnsToContents()
        fit_header(t)
        t.setEnabled(bool(expert) and rnd.is_open)
        self.entry_label.setText(
            f"专家 {expert} 的评分：分值 {rnd.rules.range_text()}，空白表示未评" if expert
            else "选择左侧的专家后，在此直接录入评分（空白表示未评）")

    def _load_ranking(self) -> None:
        t = self.rank_table
        t.setRowCount(0)
        self.share_label.setText("")
        self.pending_ties = []
        self.tiebreak_button.setEnabled(False)
        if not self.round:
            self.rank_label.setText("")
            return
        ranking = rv.ranking_for(self.store, self.round)
        how = "去掉一个最高分和一个最低分后的平均分" if ranking.trimmed else "平均分"
        notes = [f"计分专家 {len(ranking.experts)} 位，按{how}排名；推荐名额 {ranking.quota} 名，"
                 f"每个盟市最多 {ranking.channel_quotas.get('盟市')} 名，"
                 f"每个区直单位最多 {ranking.channel_quotas.get('区直单位')} 名。"]
        notes += [f"{n} 尚有 {m} 名人选未评完，暂不计入。" for n, m in ranking.incomplete.items()]
        if not ranking.ready:
            notes.append("尚无专家提交完整评分。")
        elif ranking.pending:
            notes.append(f"有 {len(ranking.pending)} 名并列人选需专家组商议"
                         "（点“专家组商议定序…”记录商议结果）。")
        else:
            notes.append(f"推荐名单 {len(ranking.selected)} 名（绿色）。")
        notes += [s.message for s in ranking.stale]
        self.pending_ties = ranking.pending_ties if ranking.ready else []
        self.tiebreak_button.setEnabled(bool(self.pending_ties))
        self.rank_label.setText(" ".join(notes))
        self.status.setText(f"{self.round.title}（{self.round.id}，"
                            f"{'进行中' if self.round.is_open else '已结束'}），"
                            f"人选 {len(self.round.candidates)} 名")
        if not ranking.ready:
            return
        t.show_ranking(ranking)
        self.share_label.setText(share_text(ranking))

    # -- actions ------------------------------------------------------------------------------
    def new_round(self) -> None:
        if self._run("新建评审轮次", lambda: setattr(self, "round", rv.create_round(self.store))):
            self.refresh()

    def close_round(self) -> None:
        if self.round and self._run("结束评审", lambda: rv.close_round(self.store, self.round)):
            self.refresh()

    def add_expert(self) -> None:
        name = self.expert_edit.text()
        if self.round and self._run("添加专家", lambda: rv.add_expert(self.store, self.round, name)):
            self.expert_edit.clear()
            self._load_experts()

    def remove_expert(self) -> None:
        expert = self.expert
        if not (self.round and expert):
            return
        answer = QMessageBox.question(self, "移除专家", f"移除专家 {expert} 及其全部评分？")
        if answer == QMessageBox.StandardButton.Yes and self._run(
                "移除专家", lambda: rv.remove_expert(self.store, self.round, expert)):
            self.refresh()

    def ask_tiebreak(self):
        """Open the 专家组商议定序 dialog for the pending ties (non-modal); returns it."""
        if not (self.round and self.pending_ties):
            self.status.setText("当前没有需专家组商议的并列人选")
            return None
        from .tiebreak_dialog import TieBreakDialog

        dialog = TieBreakDialog(self.pending_ties, self.record_tiebreak, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def record_tiebreak(self, tie, order: list[str], reason: str, actor: str = "",
                        dialog=None) -> bool:
        """Save the panel's order for ``tie``; on refusal the message goes to the dialog too."""
        rnd = self.round
        if rnd is None:
            return False
        ok = self._run("专家组商议定序", lambda: rv.record_tiebreak(
            self.store, rnd, order, reason, actor=actor or None), parent=dialog)
        if not ok:
            if dialog is not None:
                dialog.show_error(self.last_error)
            return False
        self._load_ranking()
        names = "、".join(r.candidate.name for r in rv.ranking_for(self.store, rnd).rows
                         if r.id in set(order) and r.decision == rv.SELECTED)
        self.status.setText(f"已记录专家组商议定序（{tie.scope}）：{names} 入选")
        return True

    def ask_pack(self, out: str | None = None, key_file: str | None = None,
                 passphrase: str | None = None):
        """生成报部材料 for this round (see ``ministry_pack``); returns the running op or None."""
        from .ministry_pack import ask_ministry_pack

        return ask_ministry_pack(self, out=out, key_file=key_file, passphrase=passphrase)

    def ask_export(self, fmt_: str) -> None:
        if not (self.round and self.expert):
            self.status.setText("请先在左侧选择一位专家")
            return
        suffix = "Excel 评分表 (*.xlsx)" if fmt_ == "xlsx" else "PDF (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出评分表", suggested(f"评分表-{self.round.id}-{self.expert}.{fmt_}"), suffix)
        if path:
            self.export_sheet(Path(path))

    def export_sheet(self, path: Path) -> bool:
        def work():
            if path.suffix.lower() == ".pdf":
                from collector.review.sheet_pdf import export_pdf
                export_pdf(self.store, self.round, self.expert, path)
            else:
                from collector.review.sheet_xlsx import export_xlsx
                export_xlsx(self.store, self.round, self.expert, path)
        ok = self._run("导出评分表", work)
        if ok:
            self.status.setText(f"已导出专家 {self.expert} 的评分表：{path}")
        return ok

    def ask_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "导入评分表", start_dir(), "Excel 评分表 (*.xlsx)")
        for p in paths:
            if not self.import_sheet(Path(p)):
                break

    def import_sheet(self, path: Path, replace: bool | None = None) -> bool:
        from collector.review.sheet_xlsx import import_xlsx

        replace = self.replace_box.isChecked() if replace is None else replace
        result = []
        ok = self._run("导入评分表", lambda: result.append(
            import_xlsx(self.store, path, round_id=self.round.id if self.round else None,
                        replace=replace)))
        if ok:
            res = result[0]
            self.status.setText(f"已导入专家 {res.expert} 的评分：{res.candidates} 名人选（{path.name}）")
            self._load_experts()
            self._load_ranking()
        return ok

    def save_entry(self) -> bool:
        rnd, expert = self.round, self.expert
        if not (rnd and expert):
            return False
        entries: dict[str, dict[str, str]] = {}
        t = self.entry_table
        for r, cand in enumerate(rnd.candidates):
            for k, crit in enumerate(rnd.rules.criteria):
                item = t.item(r, k)
                text = item.text().strip() if item else ""
                if text and text != item.data(Qt.ItemDataRole.UserRole):
                    entries.setdefault(cand.id, {})[crit.id] = text
        if not entries:
            self.status.setText("没有新的评分需要保存")
            return True
        ok = self._run("保存评分", lambda: rv.enter_scores(
            self.store, rnd, expert, entries, replace=self.replace_box.isChecked()))
        if ok:
            self.status.setText(f"已保存专家 {expert} 的 {sum(map(len, entries.values()))} 项评分")
            self._load_experts()
            self._load_ranking()
        return ok


def _plain(value) -> str:
    return f"{float(value):g}"
