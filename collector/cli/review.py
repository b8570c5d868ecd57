"""``collector review …``: the region's expert review (专家评审) — rounds, experts, score sheets,
direct entry, ranking and the final list within quota."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..common.errors import UsageError
from .common import open_store, print_json, print_warnings, require_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="专家评审（自治区）：评审轮次、专家、评分表、排名与推荐名单")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION")
    rsub.required = True

    def add(name: str, help_: str, func, *, round_opt: bool = True) -> argparse.ArgumentParser:
        q = rsub.add_parser(name, help=help_)
        if round_opt:
            q.add_argument("--round", metavar="ID", help="评审轮次（默认最近一轮）")
        q.set_defaults(func=func)
        return q

    q = add("new", "创建评审轮次（默认包括数据库中全部候选人）", cmd_new, round_opt=False)
    q.add_argument("--title", default="", help="评审名称")
    q.add_argument("--id", action="append", dest="ids", metavar="ID", help="只评审指定候选人（编号（或至少 4 位前缀）、人选代码或身份证号，可重复）")
    q.add_argument("--year", type=int, default=2017)

    q = add("list", "列出评审轮次", cmd_list, round_opt=False)
    q.add_argument("--json", action="store_true")

    add("show", "显示评审轮次的评分项、专家和评分进度", cmd_show)

    q = add("expert", "登记、移除或列出专家", cmd_expert)
    q.add_argument("action", choices=("add", "remove", "list"))
    q.add_argument("names", nargs="*", metavar="NAME")

    q = add("sheet", "导出评分表（.xlsx 供专家填写 / .pdf 供打印）或导入填好的 .xlsx", cmd_sheet)
    q.add_argument("action", choices=("export", "import"))
    q.add_argument("files", nargs="*", metavar="FILE.xlsx", help="导入的评分表")
    q.add_argument("--expert", metavar="NAME", help="专家姓名（导出必填；导入时核对）")
    q.add_argument("--all-experts", action="store_true", help="为每位专家各导出一份到 --out 文件夹")
    q.add_argument("--out", metavar="FILE|DIR", help="导出到 FILE.xlsx / FILE.pdf（或文件夹）")
    q.add_argument("--format", choices=("xlsx", "pdf"), default="xlsx",
                   help="--all-experts 时的格式（默认 xlsx）")
    q.add_argument("--replace", action="store_true", help="以新评分表替换该专家已有的评分")

    q = add("score", "直接录入一位专家对一名人选的评分", cmd_score)
    q.add_argument("--expert", required=True, metavar="NAME")
    q.add_argument("--candidate", required=True, metavar="ID", help="候选人：编号（或至少 4 位前缀）、人选代码或身份证号")
    q.add_argument("scores", nargs="+", metavar="CRITERION=SCORE", help="如 c1=8.5 c2=7")
    q.add_argument("--replace", action="store_true", help="修改已录入的评分")

    q = add("rank", "按专家评分排名（5 位及以上专家时去掉一个最高分和一个最低分）", cmd_rank)
    q.add_argument("--json", action="store_true")

    q = add("final", "推荐名单（全区名额及各渠道名额以内），并说明未入选原因", cmd_final)
    q.add_argument("--json", action="store_true")

    q = add("tiebreak", "记录专家组对跨名额线并列人选的商议定序（不带参数时列出待商议的并列）",
            cmd_tiebreak)
    q.add_argument("--order", metavar="ID1,ID2,…",
                   help="同一组并列人选按商议结果的先后顺序，用逗号分隔（编号（或至少 4 位前缀）、人选代码或身份证号）；排在前面者入选")
    q.add_argument("--reason", default="", help="商议理由（必填），如商议经过和表决结果")
    q.add_argument("--actor", default="", help="记录人（默认当前登录用户）")
    q.add_argument("--clear-stale", action="store_true", help="删除已失效的商议定序")

    add("close", "结束评审轮次（之后不能再修改专家和评分）", cmd_close)

    q = add("pack", "生成报部材料：推荐名单、专家评审结果及下级报送包（签名、加密）", cmd_pack)
    q.add_argument("--out", required=True, metavar="FILE.rpu")
    q.add_argument("--to", action="append", metavar="KEYFILE", help="接收方（人社部）公钥文件")
    q.add_argument("--today", metavar="YYYY-MM-DD", help="按指定日期检查截止日期")


def cmd_new(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args) as store:
        rnd = rv.create_round(store, title=args.title, candidate_ids=args.ids, year=args.year)
    print(f"已创建评审轮次 {rnd.id}：{rnd.title}，人选 {len(rnd.candidates)} 名，"
          f"评分项 {len(rnd.rules.criteria)} 个")
    print("下一步：collector review expert add 专家姓名 …")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args, create=False) as store:
        rounds = rv.list_rounds(store)
    if args.json:
        print_json(rounds)
        return 0
    if not rounds:
        print("还没有评审轮次（collector review new）")
    for r in rounds:
        state = "进行中" if r["status"] == "open" else "已结束"
        print(f"{r['id']}  {state}  人选 {r['candidates']} 名  专家 {r['experts']} 位  "
              f"{r['created_at']}  {r['title']}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        experts = rv.experts(store, rnd)
    print(f"评审轮次 {rnd.id}（{'进行中' if rnd.is_open else '已结束'}）：{rnd.title}")
    print(f"人选 {len(rnd.candidates)} 名；分值 {rnd.rules.range_text()}；"
          f"{rnd.rules.trim_threshold} 位及以上专家时去掉一个最高分和一个最低分；"
          f"推荐名额 {rnd.rules.region_quota} 名")
    for c in rnd.rules.criteria:
        print(f"  {c.id:<9} {c.name}  权重 {c.weight}%")
    print(f"专家 {len(experts)} 位：")
    for e in experts:
        done = "已完成" if e.submitted_at else f"已评 {e.scored}/{rnd.cells_per_expert} 项"
        print(f"  {e.name}  {done}  {e.source or ''}")
    return 0


def cmd_expert(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        if args.action == "list":
            for e in rv.experts(store, rnd):
                print(e.name)
            return 0
        if not args.names:
            raise UsageError("请给出专家姓名")
        for name in args.names:
            if args.action == "add":
                name = rv.add_expert(store, rnd, name)
                print(f"已登记专家 {name}（评审轮次 {rnd.id}）")
            else:
                rv.remove_expert(store, rnd, name)
                print(f"已移除专家 {name} 及其评分")
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    from .. import review as rv
    from ..review.sheet_xlsx import export_xlsx, import_xlsx

    with open_store(args, create=False) as store:
        if args.action == "import":
            if not args.files:
                raise UsageError("请给出要导入的评分表文件 FILE.xlsx")
            for f in args.files:
                res = import_xlsx(store, require_file(f), expert=args.expert,
                                  round_id=args.round, replace=args.replace)
                verb = "替换" if res.replaced else "导入"
                print(f"已{verb}专家 {res.expert} 的评分：人选 {res.candidates} 名，"
                      f"分数 {res.scores} 个（{Path(f).name}，评审轮次 {res.round_id}）")
            return 0
        rnd = rv.get_round(store, args.round)
        if not args.out:
            raise UsageError("请用 --out 指定导出的文件（.xlsx 或 .pdf）或文件夹")
        if args.all_experts:
            names = [e.name for e in rv.experts(store, rnd)]
            if not names:
                raise UsageError("本轮还没有登记专家（review expert add）")
            folder = Path(args.out)
            folder.mkdir(parents=True, exist_ok=True)
            targets = [(n, folder / f"评分表-{rnd.id}-{n}.{args.format}") for n in names]
        else:
            if not args.expert:
                raise UsageError("导出评分表请用 --expert 指定专家（或 --all-experts）")
            out = Path(args.out)
            if out.suffix.lower() not in (".xlsx", ".pdf"):
                raise UsageError(f"{out.name}：评分表只能导出为 .xlsx 或 .pdf")
            targets = [(args.expert, out)]
        for name, out in targets:
            if out.suffix.lower() == ".pdf":
                from ..review.sheet_pdf import export_pdf

                export_pdf(store, rnd, name, out)
            else:
                export_xlsx(store, rnd, name, out)
            print(f"已导出专家 {name} 的评分表：{out}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from .. import review as rv

    row: dict[str, str] = {}
    for item in args.scores:
        crit, sep, value = item.partition("=")
        if not sep or not crit.strip():
            raise UsageError(f"“{item}”应写成 评分项=分数，如 c1=8.5")
        row[crit.strip()] = value.strip()
    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        n = rv.enter_scores(store, rnd, args.expert, {args.candidate: row},
                            replace=args.replace)
        cand = rnd.candidate(args.candidate)
    print(f"已保存专家 {args.expert} 对 {cand.name} 的 {n} 项评分")
    return 0


def _ranking(args: argparse.Namespace):
    from .. import review as rv

    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        return rnd, rv.ranking_for(store, rnd)


def _print_header(rnd, ranking) -> None:
    how = "去掉一个最高分和一个最低分后的平均分" if ranking.trimmed else "平均分"
    print(f"评审轮次 {rnd.id}：计分专家 {len(ranking.experts)} 位（{'、'.join(ranking.experts)}），"
          f"按{how}排名")
    for name, missing in ranking.incomplete.items():
        print(f"注意：专家 {name} 尚有 {missing} 名人选未评完，其评分暂不计入")


def _print_shares(ranking) -> None:
    sh = ranking.shares()
    for key, label in (("all", "全部人选"), ("final", "推荐名单")):
        s = sh[key]
        print(f"{label} {s['count']} 名：产业创新人才（条件四）{s['industrial']} 名，"
              f"占 {s['industrial_percent']}%；非公有制单位 {s['non_public']} 名，"
              f"占 {s['non_public_percent']}%")
    for e in ranking.emphasis():
        print("遴选推荐重点 · " + e.line())


def cmd_rank(args: argparse.Namespace) -> int:
    from ..review.ranking import fmt

    rnd, ranking = _ranking(args)
    if args.json:
        print_json(ranking.to_dict())
        return 0 if ranking.ready else 1
    _print_header(rnd, ranking)
    if not ranking.ready:
        print("尚无专家提交完整评分，无法排名")
        return 1
    print(f"{'名次':<6}{'姓名':<8}{'得分':>8}  {'推荐渠道':<18}{'结果'}")
    for r in ranking.rows:
        rank = f"{r.rank}{'=' if r.tied else ''}"
        kind, name = r.candidate.channel
        print(f"{rank:<6}{r.candidate.name:<8}{fmt(r.mean):>8}  {name:<18}{r.decision}"
              f"{'：' + r.reason if r.reason else ''}")
    print("（名次后带 = 表示并列）")
    _print_shares(ranking)
    _print_tiebreaks(ranking)
    return 0


def cmd_final(args: argparse.Namespace) -> int:
    from .. import review as rv
    from ..review.ranking import fmt

    rnd, ranking = _ranking(args)
    if args.json:
        data = ranking.to_dict()
        data["final"] = [r.to_dict() for r in ranking.selected]
        data["cut"] = [r.to_dict() for r in ranking.rows if r.decision != rv.SELECTED]
        print_json(data)
        return 0 if ranking.ready and not ranking.pending else 1
    _print_header(rnd, ranking)
    if not ranking.ready:
        print("尚无专家提交完整评分，无法形成推荐名单")
        return 1
    print(f"推荐名单（{len(ranking.selected)}/{ranking.quota} 名）：")
    for i, r in enumerate(ranking.selected, 1):
        kind, name = r.candidate.channel
        print(f"{i:>3}. {r.candidate.name}  {fmt(r.mean)}  第{r.rank}名  {name}（{kind}）")
    others = [r for r in ranking.rows if r.decision != rv.SELECTED]
    if others:
        print("未入选及原因：")
        for r in others:
            print(f"     {r.candidate.name}  {fmt(r.mean)}  第{r.rank}名  {r.decision}：{r.reason}")
    _print_shares(ranking)
    _print_tiebreaks(ranking)
    if ranking.pending:
        print(f"有 {len(ranking.pending)} 名并列人选待专家组商议，名单尚未确定")
        return 1
    return 0


def _short(cid: str) -> str:
    return cid[:8]


def _print_tiebreaks(ranking) -> None:
    """Decided ties, stale decisions, and the pending ties with what to type."""
    from ..review.ranking import fmt

    for t in ranking.ties:
        if t.decision:
            d = t.decision
            print(f"专家组商议定序（{t.scope}，{d.at}，{d.actor}）：{d.reason}")
    for s in ranking.stale:
        print(f"注意：{s.message}")
    for t in ranking.pending_ties:
        print(f"待专家组商议：{t.describe()}，得分 {fmt(t.mean)}；并列人选：")
        for r in t.members:
            kind, name = r.candidate.channel
            code = r.candidate.info.get("candidate_code") or ""
            print(f"     {_short(r.id)}  {r.candidate.name}  {name}（{kind}）"
                  f"{'  人选代码 ' + code if code else ''}")
        example = ",".join(_short(r.id) for r in t.members)
        print(f"  商议后记录：collector review tiebreak --order {example} --reason \"商议理由\""
              f"（按商议顺序排列，前 {t.seats} 名入选）")


def cmd_tiebreak(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        if args.clear_stale:
            gone = rv.clear_stale(store, rnd)
            print(f"已删除 {len(gone)} 条已失效的专家组商议定序" if gone
                  else "没有已失效的专家组商议定序")
            return 0
        if args.order is None:
            if args.reason:
                raise UsageError("请用 --order 按商议顺序列出并列人选的编号")
            ranking = rv.ranking_for(store, rnd)
            if not ranking.ready:
                print("尚无专家提交完整评分，还没有排名")
                return 1
            if not ranking.ties and not ranking.stale:
                print("本轮没有跨名额线的并列人选，无需专家组商议")
                return 0
            _print_tiebreaks(ranking)
            return 1 if ranking.pending_ties else 0
        order = [k for k in args.order.replace("，", ",").split(",") if k.strip()]
        d = rv.record_tiebreak(store, rnd, order, args.reason, actor=args.actor or None)
        ranking = rv.ranking_for(store, rnd)
    names = "、".join(rnd.candidate(cid).name for cid in d.order)
    print(f"已记录专家组商议定序（{d.scope}，{len(d.members)}人并列第{d.rank}名，"
          f"剩余名额{d.seats}个）：{names}")
    tie = next(t for t in ranking.ties if t.scope == d.scope)
    for r in tie.members:
        print(f"     {r.candidate.name}  {r.decision}")
    if ranking.pending_ties:
        print(f"还有 {len(ranking.pending_ties)} 组并列待商议（collector review final 查看）")
    else:
        print("推荐名单已确定（collector review final 查看）")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from .. import review as rv

    with open_store(args, create=False) as store:
        rnd = rv.get_round(store, args.round)
        rv.close_round(store, rnd)
    print(f"评审轮次 {rnd.id} 已结束")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..review.package import pack_region
    from .common import unlock, recipients_from

    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise UsageError(f"日期“{args.today}”应写成 YYYY-MM-DD") from None
    with open_store(args, create=False) as store:
        identity = unlock(store)
        result = pack_region(store, args.out, identity=identity, round_id=args.round,
                             recipients=recipients_from(args.to), today=today)
    print_warnings(result.warnings)
    r = result.pack
    print(f"已生成报部材料 {r.path}（{r.size} 字节）：推荐人选 {len(r.candidates)} 名，"
          f"含专家评审结果，内含下级报送包 {len(result.nested)} 个，接收方 {len(r.recipients)} 个")
    return 0
