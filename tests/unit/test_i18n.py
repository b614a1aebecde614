"""The message catalogues: the same keys in both languages, every key the code uses, and
templates that format with their parameters."""

import re
import string
from pathlib import Path

import pytest

import casework
from casework import money, vocab
from casework.access import ROLES
from casework.i18n import LANGUAGES, Message, catalogue, t
from casework.services.progress import LEVELS
from casework.services.recognition import KINDS

PACKAGE = Path(casework.__file__).parent
PREFIXES = ("ledger", "form", "ids", "error", "org", "policy", "cli", "money", "jobs",
            "placements", "subsidies", "steps", "loans", "reports")
ANY_PREFIX = "|".join(PREFIXES)
KEY_LITERAL = re.compile(rf"""["']((?:{ANY_PREFIX})(?:\.[A-Za-z_]+)+)["']""")
FILE_SUFFIXES = (".toml", ".csv", ".py", ".json", ".ipynb")


def keys_used_in_source() -> dict[str, list[str]]:
    """Catalogue keys written as string literals in the package, with the files using them."""
    used: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for key in KEY_LITERAL.findall(path.read_text("utf-8")):
            if not key.endswith(FILE_SUFFIXES):
                used.setdefault(key, []).append(str(path.relative_to(PACKAGE)))
    return used


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def test_chinese_and_english_have_the_same_keys():
    zh, en = set(catalogue("zh")), set(catalogue("en"))

    assert zh - en == set(), "missing in en.toml"
    assert en - zh == set(), "missing in zh.toml"


def test_the_source_scan_finds_the_keys_it_should():
    used = keys_used_in_source()

    assert {"ledger.bad_phone", "ids.bad_checksum", "error.stale_record",
            "policy.age_above", "cli.demo_not_empty"} <= set(used)
    assert "policy.toml" not in used


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_in_the_source_is_in_the_catalogue(lang):
    keys = catalogue(lang)

    # A rule's condition key stands for its two outcomes, "<key>.ok" and "<key>.no".
    missing = {k: files for k, files in keys_used_in_source().items()
               if k not in keys and not {f"{k}.ok", f"{k}.no"} <= set(keys)}

    assert missing == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_built_from_a_code_list_is_in_the_catalogue(lang):
    built = (
        [f"role.{r}" for r in ROLES]
        + [f"vocab.sex.{s}" for s in "MF"]
        + [f"policy.group.{g}" for g in ("men", "women", "female_cadres")]
        + [f"vocab.category.{c}" for c in vocab.CATEGORIES]
        + [f"vocab.education.{c}" for c in vocab.EDUCATION]
        + [f"vocab.income_band.{c}" for c in vocab.INCOME_BANDS]
        + [f"vocab.employment_status.{c}" for c in vocab.EMPLOYMENT_STATUSES]
        + [f"vocab.service_kind.{c}" for c in vocab.SERVICE_KINDS]
        + [f"level.{lv}" for lv in ("city", "district", "county", "street", "community")]
        + [f"vocab.community_field.{c}" for c in vocab.COMMUNITY_FIELDS]
        + [f"vocab.investor_kind.{c}" for c in vocab.INVESTOR_KINDS]
        + [f"vocab.posting_status.{c}" for c in vocab.POSTING_STATUSES]
        + [f"vocab.referral_outcome.{c}" for c in vocab.REFERRAL_OUTCOMES]
        + [f"vocab.funding_level.{c}" for c in vocab.FUNDING_LEVELS]
        + [f"vocab.subsidy_kind.{c}" for c in vocab.SUBSIDY_KINDS]
        + [f"vocab.loan_purpose.{c}" for c in vocab.LOAN_PURPOSES]
        + [f"money.step.{s}" for s in (*money.LOAN_STEPS, *money.SUBSIDY_STEPS)]
        + [f"reports.{part}.{name}" for part, names in (
            ("sheet", (*LEVELS, "months", "advanced")), ("kind", KINDS),
            ("source", ("notice", "set", "split")))
           for name in names]
        + [f"reports.col.part_{p}" for p in ("attainment", "stable", "visits", "placements")]
    )

    assert [k for k in built if k not in catalogue(lang)] == []


def test_both_languages_use_the_same_placeholders_in_each_template():
    zh, en = catalogue("zh"), catalogue("en")

    differing = {k: (placeholders(zh[k]), placeholders(en[k]))
                 for k in zh.keys() & en.keys() if placeholders(zh[k]) != placeholders(en[k])}

    assert differing == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_formats_with_its_parameters(lang):
    for key, template in catalogue(lang).items():
        params = {name: f"<{name}>" for name in placeholders(template)}

        text = t(key, lang, **params)

        assert all(value in text for value in params.values()), key
        assert "{" not in text, key


def test_a_template_is_rendered_with_its_parameters_in_each_language():
    assert t("form.required", "en") == "Required."
    assert t("error.person_not_found", "en", id=42) == "There is no person 42 on the ledger."
    assert "42" in t("error.person_not_found", "zh", id=42)


def test_an_unknown_key_shows_itself_and_an_unknown_language_falls_back_to_chinese():
    assert t("no.such.key", "en") == "no.such.key"
    assert t("form.required", "fr") == t("form.required", "zh")


def test_a_message_renders_late_in_the_readers_language():
    message = Message("form.required")

    assert message.text("en") == "Required."
    assert message.text("zh") == catalogue("zh")["form.required"]


def test_a_message_with_a_parameter_dictionary_renders_nested_messages():
    message = Message("ledger.sex_mismatch", {"sex": Message("vocab.sex.F")})

    assert message.text("en") == "Does not match the ID number, which says female."
    assert "女" in message.text("zh")


def test_a_message_accepts_its_parameters_as_keywords_as_the_package_writes_them():
    message = Message("policy.age_below", age=15, limit=16)

    assert message.text("en") == "Age 15 is below the working-age minimum of 16."
