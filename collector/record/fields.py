"""The form's field list: the one place that the model, rules, storage, printing and UI read.

Adding a field means adding it here (and showing it on its page in the UI); enumerations and
length limits that change by year live in ``resources/rules/<year>.toml`` and are referred to
by name (``choices``, ``limit``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of value. Every kind has an "empty" value so a draft may leave anything blank.
STR = "str"            # one line of text
TEXT = "text"          # multi-line text
INT = "int"
BOOL = "bool"
DATE = "date"          # YYYY-MM-DD
MONTH = "month"        # YYYY-MM
MONTH_OR_NOW = "month_or_now"  # YYYY-MM, or "" meaning 至今
ENUM = "enum"          # one of year.choices(choices)
ENUM_LIST = "enum_list"
INT_LIST = "int_list"  # the chosen conditions, 1..4
TEXT_MAP = "text_map"  # {"1": "statement", ...}
OBJECT = "object"      # children
TABLE = "table"        # list of objects with children

EMPTY = {
    STR: "", TEXT: "", INT: None, BOOL: False, DATE: "", MONTH: "", MONTH_OR_NOW: "",
    ENUM: "", ENUM_LIST: [], INT_LIST: [], TEXT_MAP: {}, TABLE: [],
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = STR
    required: bool = False        # REQUIRED is an error when empty
    recommended: bool = False     # REQUIRED is a warning when empty
    choices: str | None = None    # enumeration name in the year's rules
    limit: str | None = None      # length limit name in the year's rules
    page: str = "基本信息"
    children: tuple["Field", ...] = ()
    open_choices: bool = False    # the enumeration is a suggestion list, other text allowed
    identity: bool = False        # fully NFKC-folded, then ASCII only (FORMAT): IDs, phones

    def child(self, key: str) -> "Field":
        for f in self.children:
            if f.key == key:
                return f
        raise KeyError(key)


def F(key: str, label: str, kind: str = STR, **kw) -> Field:
    return Field(key, label, kind, **kw)


BASIC, HISTORY, CONDITIONS, RESULTS, ATTACH, PLEDGE = (
    "基本信息", "学习与工作经历", "符合条件", "成就与成果", "佐证材料", "承诺与意见",
)

CONTACT = (
    F("mobile", "手机", recommended=True, identity=True),
    F("office_phone", "办公电话", identity=True),
    F("email", "电子邮箱"),
    F("address", "通讯地址", limit="address"),
    F("postcode", "邮政编码", identity=True),
)

EDUCATION_ROW = (
    F("start", "起始年月", MONTH), F("end", "终止年月", MONTH),
    F("school", "学校", limit="list_text"), F("major", "专业", limit="list_text"),
    F("degree", "学历学位"),
)
WORK_ROW = (
    F("start", "起始年月", MONTH), F("end", "终止年月", MONTH_OR_NOW),
    F("employer", "工作单位", limit="list_text"), F("position", "职务/职称", limit="list_text"),
)
PROJECT_ROW = (
    F("name", "项目名称", limit="list_text"), F("source", "项目来源", limit="list_text"),
    F("level", "级别", ENUM, choices="project_level", open_choices=True),
    F("role", "本人角色", ENUM, choices="project_role", open_choices=True),
    F("start", "起始年月", MONTH), F("end", "终止年月", MONTH_OR_NOW),
    # An ongoing project (终止年月 至今) keeps the end its contract plans; it may lie ahead.
    F("planned_end", "计划完成时间", MONTH),
    F("funding", "经费（万元）"),
)
AWARD_ROW = (
    F("name", "奖励名称", limit="list_text"),
    F("level", "级别", ENUM, choices="award_level", open_choices=True),
    F("rank", "本人排名"), F("date", "获奖年月", MONTH), F("issuer", "授奖单位", limit="list_text"),
)
PAPER_ROW = (
    F("title", "论文/论著题目", limit="list_text"), F("journal", "刊物/出版社", limit="list_text"),
    F("date", "发表年月", MONTH), F("rank", "作者排名"), F("indexed", "收录情况"),
)
PATENT_ROW = (
    F("title", "专利名称", limit="list_text"), F("number", "专利号"),
    F("type", "类别", ENUM, choices="patent_type", open_choices=True),
    F("date", "授权年月", MONTH), F("rank", "本人排名"),
)
PART_TIME_ROW = (  # 社会及学术兼职 (optional section of the ministry's form)
    F("organization", "兼职机构", limit="list_text"), F("post", "兼任职务", limit="list_text"),
    F("start", "起始年月", MONTH), F("end", "终止年月", MONTH_OR_NOW),
)
HONOR_ROW = (  # 人才称号 / 政府特殊津贴 (optional section)
    F("name", "称号或津贴名称", limit="list_text"), F("issuer", "授予部门", limit="list_text"),
    F("date", "获得年月", MONTH),
)
ATTACHMENT_ROW = (
    F("file", "文件名"), F("title", "材料名称", limit="list_text"),
    F("category", "类别", ENUM, choices="attachment_category", open_choices=True),
    F("classified", "涉密", BOOL), F("declassified", "已脱密处理", BOOL),
    F("sha256", "SHA-256"), F("size", "大小（字节）", INT),
)

FIELDS: tuple[Field, ...] = (
    F("program_year", "年度", INT),
    F("name", "姓名", required=True, limit="name"),
    F("gender", "性别", ENUM, required=True, choices="gender"),
    F("ethnicity", "民族", ENUM, recommended=True, choices="ethnicity"),
    F("birth_date", "出生日期", DATE, required=True),
    F("id_number", "公民身份号码", required=True, identity=True),
    F("political_status", "政治面貌", ENUM, recommended=True, choices="political_status"),
    F("native_place", "籍贯"),
    F("birth_place", "出生地", ENUM, choices="birth_place", open_choices=True),
    F("employer", "工作单位", required=True, limit="employer"),
    F("employer_type", "单位类型", ENUM, recommended=True, choices="employer_type"),
    F("unit_category", "单位类别", ENUM, choices="unit_category"),
    # The ministry's 填表说明 calls the ownership code list 单位性质.
    F("unit_ownership", "单位性质", ENUM, choices="unit_ownership"),
    F("admin_post", "行政职务", limit="admin_post"),
    F("title", "专业技术职务", recommended=True),
    F("title_level", "职称级别", ENUM, required=True, choices="title_level"),
    F("title_date", "取得时间", MONTH),
    F("education", "最高学历", ENUM, recommended=True, choices="education", open_choices=True),
    F("degree", "最高学位", ENUM, choices="degree", open_choices=True),
    F("graduate_school", "毕业院校"),
    F("major", "所学专业"),
    F("graduation_date", "毕业时间", MONTH),
    F("work_start", "参加专业技术工作时间", MONTH),
    F("discipline", "从事专业/研究领域", required=True, limit="discipline"),
    F("discipline_group", "学科组", ENUM, choices="discipline_group", open_choices=True),
    F("focus_areas", "重点领域", ENUM_LIST, choices="focus_areas"),
    F("strategies", "国家战略", ENUM_LIST, choices="strategies"),
    F("channel", "推荐渠道", OBJECT, children=(
        F("kind", "渠道类别", ENUM, recommended=True, choices="channel_kind"),
        F("name", "盟市/区直单位", recommended=True),
    )),
    F("candidate_code", "人选代码", identity=True),
    F("contact", "联系方式", OBJECT, children=CONTACT),
    F("education_history", "学习经历", TABLE, page=HISTORY, children=EDUCATION_ROW),
    F("work_history", "工作经历", TABLE, page=HISTORY, children=WORK_ROW),
    F("conditions", "符合条件", INT_LIST, page=CONDITIONS),
    F("condition_statements", "条件说明", TEXT_MAP, page=CONDITIONS, limit="condition_statement"),
    F("achievements", "主要学术技术成就", TEXT, page=RESULTS, limit="achievements"),
    F("projects", "主持或参与的项目", TABLE, page=RESULTS, children=PROJECT_ROW),
    F("awards", "获奖情况", TABLE, page=RESULTS, children=AWARD_ROW),
    F("papers", "论文论著", TABLE, page=RESULTS, children=PAPER_ROW),
    F("patents", "专利", TABLE, page=RESULTS, children=PATENT_ROW),
    F("part_time_posts", "社会及学术兼职", TABLE, page=RESULTS, children=PART_TIME_ROW),
    F("honors", "人才称号/政府特殊津贴", TABLE, page=RESULTS, children=HONOR_ROW),
    F("attachments", "佐证材料", TABLE, page=ATTACH, children=ATTACHMENT_ROW),
    F("pledge", "诚信承诺", BOOL, page=PLEDGE),
    F("unit_opinion", "单位推荐意见", OBJECT, page=PLEDGE, children=(
        F("text", "意见", TEXT, limit="unit_opinion"), F("date", "日期", DATE),
    )),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
PAGES: tuple[str, ...] = (BASIC, HISTORY, CONDITIONS, RESULTS, ATTACH, PLEDGE)
# Tables whose rows carry start/end months checked by DATE_ORDER.
DATED_TABLES = ("education_history", "work_history", "projects", "part_time_posts")


def label_of(path: str) -> str:
    """Chinese label for a field path like ``work_history[2].end`` or ``contact.mobile``."""
    import re

    parts = [p for p in re.split(r"\.|\[|\]", path) if p]
    labels: list[str] = []
    spec: Field | None = None
    for part in parts:
        if part.isdigit():
            if spec is not None and spec.kind == TABLE:
                labels.append(f"第{int(part) + 1}行")
            elif spec is not None and spec.kind in (TEXT_MAP, INT_LIST):
                labels.append(f"条件{part}")
            continue
        pool = spec.children if spec is not None else FIELDS
        match = next((f for f in pool if f.key == part), None)
        if match is None:
            labels.append(part)
            continue
        labels.append(match.label)
        spec = match
    return "·".join(labels)
