"""The offices' tabs (unit, 盟市/厅局, region): 收件箱, 审核与名额, 上报与光盘. All logic lives in
``collector.office``; these pages only show it and call it through ``ui.worker``."""

from ui import roles

from .export_page import ExportPage
from .inbox_page import InboxPage
from .review_page import OfficeReviewPage

for _role in (roles.UNIT, roles.OFFICE, roles.REGION):
    roles.register(_role, "收件箱", lambda store, parent: InboxPage(store, parent))
    roles.register(_role, roles.REVIEW_TAB, lambda store, parent: OfficeReviewPage(store, parent))
    roles.register(_role, "上报与光盘", lambda store, parent: ExportPage(store, parent))

__all__ = ["ExportPage", "InboxPage", "OfficeReviewPage"]
