"""Issue 18, item 5: red means something. A rule is green at its target, amber within its band,
red beyond it; the banner names the worst five areas with what each breaks."""

from django.utils import translation

from governance.targets import RULES, attention, flags

RATE = next(r for r in RULES if r.code == "one_per_household_rate")
NO_MEASURE = next(r for r in RULES if r.code == "cases_without_measure")


def test_a_rate_is_green_at_target_amber_in_its_band_red_beyond():
    assert RATE.flag({"one_per_household_rate": 1.0}) == "green"
    assert RATE.flag({"one_per_household_rate": 0.97}) == "amber"
    assert RATE.flag({"one_per_household_rate": 0.95}) == "amber"
    assert RATE.flag({"one_per_household_rate": 0.9}) == "red"
    assert RATE.flag({"one_per_household_rate": None}) is None


def test_a_count_is_judged_against_the_size_of_the_area():
    """One case without a measure among 100 monitored households is amber; among 10, red."""
    assert NO_MEASURE.flag({"cases_without_measure": 0, "monitored_households": 10}) == "green"
    assert NO_MEASURE.flag({"cases_without_measure": 1, "monitored_households": 100}) == "amber"
    assert NO_MEASURE.flag({"cases_without_measure": 1, "monitored_households": 10}) == "red"
    assert NO_MEASURE.flag({"cases_without_measure": 0, "monitored_households": 0}) == "green"


def test_the_banner_names_the_five_worst_areas_and_what_each_breaks():
    def row(name, rate, no_measure=0):
        values = {
            "one_per_household_rate": rate,
            "cases_without_measure": no_measure,
            "monitored_households": 10,
        }
        return {"name": name, "values": values}

    rows = [
        row("甲", 0.94),
        row("乙", 0.80, no_measure=3),  # two red lines: the worst
        row("丙", 0.50),
        row("丁", 1.0),  # green
        row("戊", 0.97),  # amber only
        row("己", 0.93),
        row("庚", 0.92),
        row("辛", 0.91),
    ]
    assert flags(rows[3]["values"])["one_per_household_rate"] == "green"
    with translation.override("zh-hans"):
        text = attention(rows)
    assert text.startswith("需重点关注：乙（一户一人就业率 80.0%；无帮扶措施监测户 3 户）、丙")
    named = [name for name in "甲乙丙丁戊己庚辛" if f"{name}（" in text]
    assert named == ["乙", "丙", "己", "庚", "辛"]  # 甲 (94%) is the least bad red: not named
    assert "另有 1 个地区触及红线" in text
    with translation.override("zh-hans"):
        assert attention([row("丁", 1.0)]) == "没有地区触及红线。"
