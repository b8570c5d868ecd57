import re

from collector.common.fingerprint import record_fingerprint, short
from collector.record.model import normalize
from collector.printing import registration_pdf
from tests.conftest import make_record

from .conftest import pdf_fonts, pdf_text


def test_form_embeds_cjk_font_and_shows_name_id_and_fingerprint(tmp_path):
    record = make_record(1)
    result = registration_pdf(record, tmp_path / "form.pdf")
    assert result.pages >= 2 and result.warnings == []
    assert result.fingerprint == record_fingerprint(normalize(record))
    fonts = pdf_fonts(result.path)
    assert "WenQuanYiMicroHei" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
    assert "Helvetica" not in fonts
    text = pdf_text(result.path)
    for word in (record["name"], record["id_number"], "推荐人选个人登记表", "贴照片处", "学习经历",
                 "工作经历", "符合条件", "主要学术技术成就", "论文论著", "专利", "佐证材料目录",
                 "诚信承诺", "本人签字", "所在单位意见", "盟市/厅局意见", "盖章",
                 "2017年百千万人才工程国家级人选遴选推荐", short(result.fingerprint)):
        assert word in text, word
    flat = re.sub(r"\s+", "", text)
    assert f"第1页共{result.pages}页" in flat
    assert f"第{result.pages}页共{result.pages}页" in flat
    # the four conditions are quoted from the notice
    assert "学术技术水平处于国内领先地位" in text
    assert "拥有核心技术或自主知识产权" in re.sub(r"\s+", "", text)


def test_forty_papers_and_long_texts_flow_without_loss(tmp_path):
    papers = [{"title": f"第{k:02d}篇示例论文", "journal": "示例学报", "date": "2015-03",
               "rank": "1", "indexed": "SCI"} for k in range(40)]
    long_text = "本人长期从事草原生态学研究。" * 600 + "全文结束标记"
    record = make_record(2, papers=papers, achievements=long_text,
                         employer="内蒙古" + "某" * 200 + "研究院")
    result = registration_pdf(record, tmp_path / "long.pdf")
    text = re.sub(r"\s+", "", pdf_text(result.path))
    assert result.pages >= 5
    for k in range(40):
        assert f"第{k:02d}篇示例论文" in text
    assert "全文结束标记" in text  # the end of a long text is not cut off
    assert "研究院" in text


def test_empty_optional_sections_print_as_none(tmp_path):
    record = make_record(3, papers=[], patents=[], awards=[], projects=[], attachments=[],
                         education_history=[], work_history=[], achievements="",
                         focus_areas=[], strategies=[])
    result = registration_pdf(record, tmp_path / "empty.pdf")
    text = pdf_text(result.path)
    assert text.count("（无）") >= 6
    assert "（未填写）" in text


def test_rare_character_prints_and_emoji_is_reported(tmp_path):
    record = make_record(4, name="刘䶮😀", achievements="成果😀与🙂")
    result = registration_pdf(record, tmp_path / "rare.pdf")
    assert any("姓名中的字符 😀 无法用内置字体打印" in w for w in result.warnings)
    assert any("主要学术技术成就" in w and "🙂" in w for w in result.warnings)
    assert not any("䶮" in w.split("：", 1)[1] for w in result.warnings)
    assert "DroidSansFallback" in pdf_fonts(result.path)
    assert "刘䶮〓" in re.sub(r"\s+", "", pdf_text(result.path))


def test_huge_table_cell_is_truncated_with_warning_not_crash(tmp_path):
    papers = [{"title": "超" * 5000, "journal": "", "date": "", "rank": "", "indexed": ""}]
    result = registration_pdf(make_record(5, papers=papers), tmp_path / "huge.pdf")
    assert any("超过600字" in w for w in result.warnings)


def test_markup_characters_in_text_are_printed_literally(tmp_path):
    record = make_record(6, achievements="A<b>&amp;</b> < 5 & x > 3")
    text = pdf_text(registration_pdf(record, tmp_path / "m.pdf").path)
    assert "A<b>&amp;</b><5&x>3" in re.sub(r"\s+", "", text)


def test_signer_fingerprint_is_printed_when_known(tmp_path):
    signer = "ab" * 32
    text = pdf_text(registration_pdf(make_record(7), tmp_path / "s.pdf",
                                     signer_fingerprint=signer).path)
    assert signer in text
