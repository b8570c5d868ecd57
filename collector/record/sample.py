"""Invented candidates for the demo, tests and benchmarks. No real person's data.

ID numbers are built with valid region codes and check digits from invented dates and
sequence numbers; names are drawn from common characters.
"""

from __future__ import annotations

import datetime as dt
import random

from ..rules.idnumber import check_digit
from .year import ProgramYear, load_year

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁晨阳雪琳晶巴特尔其木格乌兰图雅苏日娜额尔敦"
# 内蒙古 county-level codes (GB/T 2260) used for invented ID numbers.
REGION_CODES = ("150102", "150203", "150402", "150602", "150702", "150802", "150902",
                "152502", "152201", "150502", "152921", "150302")
DISCIPLINES = ("草原生态学", "稀土功能材料", "蒙医药学", "乳品科学", "煤化工工艺", "风电并网控制",
               "畜牧遗传育种", "人工智能与模式识别", "智能制造装备", "干旱区水资源", "物联网感知技术")
EMPLOYERS = ("内蒙古大学", "内蒙古农业大学", "内蒙古工业大学", "内蒙古医科大学附属医院",
             "包头稀土研究院", "鄂尔多斯某能源科技有限公司", "自治区农牧业科学院", "赤峰某制药股份有限公司")


def id_number_for(birth: dt.date, female: bool, seq: int, region: str = "150102") -> str:
    order = (seq % 499) * 2 + (0 if female else 1)  # odd = 男, even = 女
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def make_candidate(i: int, year: ProgramYear | None = None, *, eligible: bool = True,
                   seed: int = 2017) -> dict:
    """One complete, valid-by-default record; ``i`` makes it unique and deterministic."""
    year = year or load_year()
    rng = random.Random(seed * 100003 + i)
    female = rng.random() < 0.4
    birth = year.born_on_or_after + dt.timedelta(days=rng.randrange(0, 365 * 18))
    if not eligible:
        birth = year.born_on_or_after - dt.timedelta(days=rng.randrange(1, 3000))
    kind = "盟市" if rng.random() < 0.7 else "区直单位"
    channel_name = rng.choice(year.channels[kind])
    conditions = sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 2)))
    employer = rng.choice(EMPLOYERS)
    employer_type = "非公有制企业" if "有限公司" in employer else rng.choice(
        ["高等院校", "科研院所", "医疗卫生机构"])
    routed = year.non_public_channel_kind
    if routed and kind != routed and year.is_non_public({"employer_type": employer_type}):
        # the notice routes non-public units through their 盟市; no extra draw keeps the rest
        kind, channel_name = routed, year.channels[routed][i % len(year.channels[routed])]
    start_year = birth.year + 22
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    return {
        "program_year": year.year,
        "name": name,
        "gender": "女" if female else "男",
        "ethnicity": rng.choice(["汉族", "蒙古族", "满族", "回族", "达斡尔族"]),
        "birth_date": birth.isoformat(),
        "id_number": id_number_for(birth, female, i, REGION_CODES[i % len(REGION_CODES)]),
        "political_status": rng.choice(["中共党员", "九三学社社员", "无党派人士", "群众"]),
        "native_place": "内蒙古" + rng.choice(["呼和浩特", "包头", "赤峰", "通辽"]),
        "birth_place": "内蒙古自治区",
        "employer": employer,
        "employer_type": employer_type,
        "unit_category": "企业" if employer_type == "非公有制企业" else "事业",
        "unit_ownership": "其它" if employer_type == "非公有制企业" else "全民",
        "admin_post": rng.choice(["", "研究室主任", "学院副院长", "总工程师"]),
        "title": rng.choice(["教授", "研究员", "高级工程师", "主任医师", "副教授"]),
        "title_level": rng.choice(["正高级", "副高级"]),
        "title_date": f"{min(start_year + 10, 2016)}-{rng.randint(1, 12):02d}",
        "education": "博士研究生",
        "degree": "博士",
        "graduate_school": rng.choice(["内蒙古大学", "兰州大学", "中国农业大学", "北京科技大学"]),
        "major": rng.choice(DISCIPLINES),
        "graduation_date": f"{start_year + 5}-07",
        "work_start": f"{start_year}-07",
        "discipline": rng.choice(DISCIPLINES),
        "discipline_group": rng.choice(["工学四组", "农学组", "医学组", "理学组"]),
        "focus_areas": sorted(rng.sample(list(year.focus_areas), rng.randint(0, 2))),
        "strategies": sorted(rng.sample(list(year.strategies), rng.randint(0, 2))),
        "channel": {"kind": kind, "name": channel_name},
        "conditions": conditions,
        "condition_statements": {
            str(c): f"（示例）围绕条件{c}，本人近五年主持相关研究并取得系列成果。" for c in conditions
        },
        "contact": {
            "mobile": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            "office_phone": f"0471-{rng.randint(2000000, 9999999)}",
            "email": f"demo{i}@example.cn",
            "address": "内蒙古呼和浩特市（示例地址）",
            "postcode": "010000",
        },
        "education_history": [
            {"start": f"{start_year - 4}-09", "end": f"{start_year}-07", "school": "内蒙古大学",
             "major": "生物学", "degree": "学士"},
            {"start": f"{start_year + 1}-09", "end": f"{start_year + 5}-07",
             "school": "兰州大学", "major": "生态学", "degree": "博士"},
        ],
        "work_history": [
            {"start": f"{start_year}-07", "end": f"{start_year + 8}-12", "employer": employer,
             "position": "讲师/助理研究员"},
            {"start": f"{start_year + 9}-01", "end": "", "employer": employer,
             "position": "教授/研究员"},
        ],
        "achievements": "（示例）长期从事" + rng.choice(DISCIPLINES) + "研究，取得多项原创性成果。",
        "projects": [{"name": f"示例重点研发项目{i}-{k}", "source": "国家自然科学基金委员会",
                      "level": "国家级", "role": "主持", "start": f"{2010 + k}-01",
                      "end": f"{2014 + k}-12", "funding": "80"} for k in range(2)],
        "awards": [{"name": "自治区科学技术进步奖", "level": "省部级", "rank": "1",
                    "date": "2015-12", "issuer": "内蒙古自治区人民政府"}],
        "papers": [{"title": f"示例论文题目{k}", "journal": "示例学报", "date": f"{2012 + k}-03",
                    "rank": "1", "indexed": "SCI"} for k in range(3)],
        "patents": [{"title": "一种示例装置", "number": f"ZL2015{i:05d}.X", "type": "发明专利",
                     "date": "2014-05", "rank": "1"}],
        "attachments": [],
        "pledge": True,
        "unit_opinion": {"text": "", "date": ""},
        "candidate_code": "",
    }
