"""Who may write what: the three roles, an account's subdistricts, and which subdistrict each
record belongs to.

The district's organisation department (区委组织部) administers and publishes; each of the 17
subdistrict offices keeps its own ledger. So:

* ``admin`` (区级管理员): every record, official boundaries, restores, accounts; publishes.
* ``street`` (街道编辑): only the records of their own subdistrict(s); their changes wait for a
  reviewer when review is on.
* ``reviewer`` (审核): publishes or returns submissions; writes nothing of their own.

A record's subdistrict: a site's or an alliance's ``subdistrict_code``; a placed village's or
community's 12-digit code begins with it; a figure's scope names it (a subdistrict), or a unit,
site or alliance that has one; a district-wide figure, an official area and a whole-store
restore belong to the district (administrators only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from geo.text.labels import t

ADMIN = "admin"
STREET = "street"
REVIEWER = "reviewer"
ROLES = (ADMIN, STREET, REVIEWER)

#: What a record belongs to when it is the whole district's (administrators only).
DISTRICT = "district"

#: Entities an office's work may write without review: the remembered column mappings of its
#: ledgers (how to read a file, not what the map shows).
UNREVIEWED = frozenset({"mappings"})


@dataclass(frozen=True)
class Account:
    """Who writes: a name (in the audit trail), a role of :data:`ROLES`, and for a subdistrict
    editor the 9-digit codes of the subdistricts they keep."""

    name: str
    role: str = ADMIN
    streets: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")
        object.__setattr__(self, "streets", frozenset(self.streets))
        if self.role == STREET and not self.streets:
            raise ValueError(f"the subdistrict editor {self.name!r} keeps no subdistrict")

    def __str__(self) -> str:
        return self.name

    def may_write(self, owner: str) -> bool:
        """Whether this account may write a record belonging to ``owner``.

        Parameters
        ----------
        owner
            A 9-digit subdistrict code, or :data:`DISTRICT`.

        Returns
        -------
        bool
            Administrators may write anything, subdistrict editors their own subdistricts'
            records, reviewers nothing.
        """
        if self.role == ADMIN:
            return True
        return self.role == STREET and owner in self.streets

    def needs_review(self, review: bool) -> bool:
        """Whether this account's changes wait for a reviewer.

        Parameters
        ----------
        review
            Whether the deployment reviews changes before publishing (the setting).

        Returns
        -------
        bool
            True for a subdistrict editor when review is on.
        """
        return review and self.role == STREET


def account_of(user: str | Account) -> Account:
    """``user`` as an account: a plain name is the server's own operator (an administrator).

    Parameters
    ----------
    user
        An :class:`Account`, or a name: the seed, the command line without ``--user``, a
        script run on the server (whoever can run it can change the files anyway).

    Returns
    -------
    Account
    """
    return user if isinstance(user, Account) else Account(str(user), ADMIN)


def owner_of(entity: str, record: Mapping, lookup: Callable[[str, str], Mapping | None]) -> str:
    """The subdistrict a record belongs to (9-digit code), or :data:`DISTRICT`.

    Parameters
    ----------
    entity
        ``sites``, ``alliances``, ``units``, ``metrics``, ``verifications``, ``areas`` or
        ``mappings``.
    record
        Its columns (``id`` at least).
    lookup
        ``lookup(entity, id)``: a stored site or alliance (for a figure about one, and a
        verification of a site), or None.

    Returns
    -------
    str
        The subdistrict's code; :data:`DISTRICT` for a district-wide figure, an official area,
        or a record whose subdistrict cannot be told.
    """
    if entity in ("sites", "alliances"):
        return str(record.get("subdistrict_code") or DISTRICT)
    if entity == "units":
        return str(record["id"])[:9]
    if entity == "verifications":
        site = lookup("sites", str(record["id"]))
        return owner_of("sites", site, lookup) if site else DISTRICT
    if entity == "metrics":
        kind, code = record.get("scope_type"), str(record.get("scope_code") or "")
        if kind == "subdistrict":
            return code
        if kind == "unit":
            return code[:9]
        if kind in ("site", "alliance"):
            found = lookup(f"{kind}s", code)
            return owner_of(f"{kind}s", found, lookup) if found else DISTRICT
    return DISTRICT


def owner_name(owner: str, names: Mapping[str, str], lang: str = "zh") -> str:
    """How people name an owner: the subdistrict's name, or 全区 for :data:`DISTRICT`.

    Parameters
    ----------
    owner
        A 9-digit subdistrict code or :data:`DISTRICT`.
    names
        Code -> name of every subdistrict.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    str
        The name (the code itself if it names no subdistrict).
    """
    return t("scope_district", lang) if owner == DISTRICT else names.get(owner, owner)


def refused(account: Account, owners: Iterable[str]) -> list[str]:
    """The owners among ``owners`` that ``account`` may not write, each once, in order.

    Parameters
    ----------
    account
        Who writes.
    owners
        Subdistrict codes (or :data:`DISTRICT`) of the records written, before and after.

    Returns
    -------
    list of str
        Empty if every write is allowed.
    """
    out: list[str] = []
    for owner in owners:
        if not account.may_write(owner) and owner not in out:
            out.append(owner)
    return out
