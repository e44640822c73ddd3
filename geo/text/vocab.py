"""Closed vocabularies of the data model (kinds, precisions, qualifiers, scopes)."""

#: Site kinds, one map layer each, in drawing order.
KINDS = ("village", "community", "service_center", "station", "demo_site", "industry")

#: How well a record's point is known. ``exact``: surveyed or geocoded address;
#: ``approximate``: within about a kilometre; ``subdistrict``: only the subdistrict is known and
#: the point is its (estimated) seat; ``district``: only the district is known; ``unit``: only
#: the village or community is known and the point is that unit's placed position. (Appended
#: last: the map's binary records store the index.)
PRECISIONS = ("exact", "approximate", "subdistrict", "district", "unit")

#: How a reported metric's value reads: "100+" is ``at_least`` 100.
QUALIFIERS = ("exact", "at_least", "at_most", "approx")

#: What a metric is about; ``scope_code`` then names that district, subdistrict, unit, site or
#: alliance.
SCOPE_TYPES = ("district", "subdistrict", "unit", "site", "alliance")

UNIT_TYPES = ("community", "village")
ALLIANCE_KINDS = ("joint_committee", "consortium")

#: A metric's period: ``year`` is a value of that year (e.g. 2024年度); ``to_date`` is a total or
#: state as of that year ("截至 2024": since a start, or as the source reports it that year).
PERIODS = ("year", "to_date")
#: Which change of a figure is good: higher (``up``), lower (``down``), neither (``none``).
BETTER = ("up", "down", "none")

#: Kinds of named items (data/details.csv) that are neither sites, metrics nor events;
#: ``unreadable`` marks text the source's OCR does not let anyone read (said, not guessed).
DETAIL_KINDS = (
    "brand",
    "structure",
    "method",
    "principle",
    "goal",
    "focus",
    "context",
    "activity",
    "landmark",
    "unreadable",
)
