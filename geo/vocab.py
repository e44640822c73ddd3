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
