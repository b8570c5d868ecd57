"""The region's 专家评审 tab (``page.ReviewPage``), registered for the region role."""

from ui import roles

from .page import ReviewPage


def _factory(store, parent):
    return ReviewPage(store, parent)


roles.register(roles.REGION, "专家评审", _factory)

__all__ = ["ReviewPage"]
