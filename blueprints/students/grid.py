"""Search, sort and paging for the people grids (students, staff, users).

The three grids read the same query-string arguments, so a bookmarked or
pushed URL always reproduces what was on screen, with or without JavaScript.
"""

from dataclasses import dataclass, field

from flask import current_app, request

from models import db

MAX_SEARCH_WORDS = 5


@dataclass
class GridArgs:
    """What one grid request asks for: search words, filters, sort and page."""

    q: str = ""
    sort: str = ""
    desc: bool = False
    page: int = 1
    filters: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, sorts, default_sort, filters):
        """Read the query string; unknown sorts and filter values fall back."""
        args = request.args
        sort = args.get("sort", default_sort)
        chosen = {
            name: args.get(name, "") if args.get(name, "") in allowed else ""
            for name, allowed in filters.items()
        }
        return cls(
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in sorts else default_sort,
            desc=args.get("dir") == "desc",
            page=args.get("page", 1, type=int) or 1,
            filters=chosen,
        )

    def url_args(self, **changes):
        """Query-string arguments that reproduce this view, with changes."""
        values = {"q": self.q, "sort": self.sort, "page": self.page}
        values["dir"] = "desc" if self.desc else "asc"
        values.update(self.filters)
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", 1)}

    def sort_args(self, key):
        """Arguments for a column header: sort by key, flipping if already so."""
        flip = key == self.sort and not self.desc
        return self.url_args(sort=key, dir="desc" if flip else "asc", page=1)

    def order_by(self, sorts, then, tiebreak):
        """ORDER BY clauses: the chosen sort, then the then columns ascending.

        A unique tiebreak column ends the list and keeps the order stable, so
        paging never repeats or skips rows whose sort values tie.
        """
        chosen = [col.desc() if self.desc else col.asc() for col in sorts[self.sort]]
        return [*chosen, *(col.asc() for col in then), tiebreak.asc()]


def search_clauses(q, columns):
    """One condition per word of q: each word must appear in some column."""
    clauses = []
    for word in q.split()[:MAX_SEARCH_WORDS]:
        pattern = "%" + _escape_like(word) + "%"
        clauses.append(
            db.or_(*(column.ilike(pattern, escape="\\") for column in columns))
        )
    return clauses


def shown_first_name(model):
    """The first name as pages show it: the preferred one when given."""
    return db.func.coalesce(db.func.nullif(model.preferred_name, ""), model.first_name)


def _escape_like(word):
    """Make % and _ typed by the user match themselves."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def paginate(select, args):
    """One page of the select: PAGE_SIZE rows, clamped to the last page."""
    per_page = current_app.config["PAGE_SIZE"]
    page = db.paginate(select, page=args.page, per_page=per_page, error_out=False)
    if not page.items and args.page > 1 and page.total:
        args.page = page.pages
        page = db.paginate(select, page=args.page, per_page=per_page)
    return page
