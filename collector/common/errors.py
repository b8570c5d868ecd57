"""The project's own exception types; the CLI and the UI turn them into one Chinese line."""

from __future__ import annotations

import errno


class CollectorError(Exception):
    """Base of every error a user may see. ``str(err)`` is the message to show."""

    exit_code = 1


class InputError(CollectorError):
    """Bad input data (JSON, a field's type or value). Names the field when there is one."""

    def __init__(self, message: str, field: str | None = None, source: str | None = None):
        self.field = field
        self.source = source
        self.message = message
        parts = []
        if source:
            parts.append(source)
        if field:
            parts.append(_field_name(field))
        prefix = "：".join(parts)
        super().__init__(f"{prefix}：{message}" if prefix else message)


# Fields of things other than the record (a record's fields are labelled by fields.label_of).
_OTHER_FIELDS = {"recipient": "接收方", "role": "角色", "reason": "理由", "expert": "评审专家",
                 "order": "排序", "opinion": "意见", "decision": "推荐决定", "audit": "审计记录",
                 "provenance": "数据来源", "paper": "纸质材料核对", "fingerprint": "指纹",
                 "register": "密钥登记", "register.level": "登记级别", "register.unit": "登记单位名称",
                 "register.channel": "登记推荐渠道", "year_config": "年度配置包"}


def _field_name(field: str) -> str:
    """``出生日期（birth_date）``: the label users see on the form, and the key a JSON file has."""
    from ..record.fields import label_of  # fields is data only; imported late to keep errors light

    label = _OTHER_FIELDS.get(field) or label_of(field)
    return f"字段 {field}" if label in (field, field.replace(".", "·")) else f"{label}（{field}）"


# What the C library says in English ("No such file or directory"), said in Chinese. Windows'
# own messages (winerror) already come in the system's language and are kept.
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在", errno.EACCES: "没有访问权限", errno.EPERM: "没有操作权限",
    errno.ENOSPC: "磁盘空间不足", errno.EROFS: "磁盘或光盘是只读的", errno.EEXIST: "文件已存在",
    errno.EISDIR: "这是一个文件夹，不是文件", errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序使用", errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EIO: "读写出错（磁盘、U盘或光盘可能损坏）", errno.EMFILE: "打开的文件太多",
    errno.EINVAL: "文件名或参数无效", errno.EXDEV: "不能跨磁盘移动", errno.ENOTEMPTY: "文件夹不是空的",
    errno.EDQUOT: "磁盘配额已满", errno.EFBIG: "文件太大",
}


def os_reason(err: OSError) -> str:
    """Why an operating-system call failed, in Chinese (with the error number for support)."""
    if getattr(err, "winerror", None) and err.strerror:
        return err.strerror
    reason = _OS_REASONS.get(err.errno or 0)
    if reason:
        return reason
    return f"{err.strerror or err}（错误码 {err.errno}）" if err.errno else str(err.strerror or err)


class StoreError(CollectorError):
    """The database cannot be opened, is of an unknown version, or is locked."""


class RulesError(CollectorError):
    """The program year's rules file is missing or malformed."""


class NotFoundError(CollectorError):
    """A candidate, key or file that was asked for does not exist."""


class UsageError(CollectorError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class FileInUseError(CollectorError):
    """A file cannot be replaced: another program (Excel, WPS, Acrobat, antivirus) holds it."""
