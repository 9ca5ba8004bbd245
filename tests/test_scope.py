"""Scope arithmetic: narrowing to a region and the common ancestor (property tests)."""

from hypothesis import given
from hypothesis import strategies as st

from resettle.scoping import Scope

codes = st.sampled_from(
    ["52", "5201", "520102", "520103", "5227", "522725", "65", "6531", "653125"]
)
sites = st.tuples(st.integers(1, 50), codes.map(lambda c: (c + "000000")[:6] + "001"))


def members(scope: Scope, record: tuple[int, str]) -> bool:
    """Whether a record at site `record` (site id, the site's region code) falls in `scope`."""
    _site_id, code = record
    return any(code.startswith(p) for p in scope.region_prefixes) or record in scope.sites


@given(st.frozensets(codes, max_size=3), st.frozensets(sites, max_size=3), codes, sites)
def test_narrowing_is_intersection_with_the_subtree(prefixes, site_set, region, record):
    scope = Scope(region_prefixes=prefixes, sites=site_set)
    expected = members(scope, record) and record[1].startswith(region)
    assert members(scope.narrowed_to(region), record) == expected


def test_narrowing_gives_one_prefix_when_the_scope_covers_the_region():
    assert Scope(region_prefixes=frozenset({"52"})).narrowed_to("522725").region_prefixes == {
        "522725"
    }
    assert Scope.system().narrowed_to("6531").region_prefixes == {"6531"}
    assert Scope(region_prefixes=frozenset({"52"})).narrowed_to("65x").region_prefixes == {"52"}


def test_home_region():
    assert Scope(region_prefixes=frozenset({"653125", "653121"})).home_region() == "6531"
    assert (
        Scope(
            region_prefixes=frozenset({"653125"}), sites=frozenset({(1, "653125001")})
        ).home_region()
        == "653125"
    )
    assert Scope(region_prefixes=frozenset({"52", "65"})).home_region() is None
    assert Scope.system().home_region() is None
