"""Reading a model file (YAML or JSON) into checked values, collecting every problem.

A finance officer fixing a model wants the whole list at once, each naming the field
("outcomes[2] (Less isolated).deadweight: 120 is outside 0–100"), and nothing computed
until the list is empty.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

PRICE_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def check_price_year(text: str) -> str | None:
    """None when `text` is a financial year such as 2023/24, else the reason it is not."""
    m = PRICE_YEAR.match(text or "")
    if not m:
        return f"{text!r} is not a financial year written like 2023/24"
    if (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        return f"{text!r} is not a financial year: the second year must follow the first"
    return None


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year holding `day` began (years start on 1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_code(start: int) -> str:
    """2025 → "2025/26", as councils and this package write financial and price years."""
    return f"{start}/{str(start + 1)[2:]}"


class EconomicsError(ValueError):
    """Bad input. `problems` lists each one; str() joins them for a terminal."""

    def __init__(self, problems: list[str] | str, source: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            super().__init__(head + self.problems[0])
        else:
            super().__init__(head + f"{len(self.problems)} problems:\n" + "\n".join(
                f"  - {p}" for p in self.problems))


def load_file(path: str | Path) -> dict:
    """The mapping at the top of a .yaml/.yml/.json file, or EconomicsError."""
    p = Path(path)
    if not p.exists():
        raise EconomicsError("no such file", str(p))
    text = p.read_text(encoding="utf-8")
    if not text.strip():
        raise EconomicsError("the file is empty", str(p))
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise EconomicsError(f"not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: {e}",
                             str(p)) from None
    if not isinstance(data, dict):
        raise EconomicsError("the file must hold a mapping of fields (name: …), not a list or a value",
                             str(p))
    return data


class Reader:
    """Typed access to one mapping; problems go to a shared list instead of raising."""

    def __init__(self, data: Any, where: str, problems: list[str]):
        self.where = where
        self.problems = problems
        if not isinstance(data, dict):
            self.problem("must be a mapping of fields")
            data = {}
        self.data = data
        self.used: set[str] = set()

    def problem(self, text: str, field: str | None = None) -> None:
        at = f"{self.where}.{field}" if field and self.where else (field or self.where)
        self.problems.append(f"{at}: {text}" if at else text)

    def _get(self, field: str, required: bool):
        self.used.add(field)
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self.problem("is required", field)
            return None
        return value

    def text(self, field: str, required: bool = True, default: str = "") -> str:
        value = self._get(field, required)
        return default if value is None else str(value).strip()

    def number(self, field: str, required: bool = True, default: Decimal | None = None,
               minimum: Decimal | None = Decimal(0), maximum: Decimal | None = None,
               unit: str = "") -> Decimal | None:
        value = self._get(field, required)
        if value is None:
            return default
        if isinstance(value, bool):
            self.problem(f"{value!r} is not a number", field)
            return default
        try:
            # Via str so 0.1 in a YAML file is exactly 0.1, not its binary neighbour.
            number = Decimal(str(value).replace(",", "").replace("£", "").strip())
        except InvalidOperation:
            self.problem(f"{value!r} is not a number", field)
            return default
        if not number.is_finite():
            self.problem(f"{value!r} is not a number", field)
            return default
        if minimum is not None and maximum is not None and not (minimum <= number <= maximum):
            self.problem(f"{value} is outside {minimum}–{maximum}{unit}", field)
            return default
        if minimum is not None and number < minimum:
            self.problem(f"{value} cannot be negative" if minimum == 0
                         else f"{value} is below the minimum of {minimum}{unit}", field)
            return default
        return number

    def price_year(self, field: str = "price_year") -> str:
        """A financial year such as 2023/24, or "" (with a problem noted) when it is not one."""
        value = self.text(field)
        if value and (why := check_price_year(value)):
            self.problem(why, field)
            return ""
        return value

    def percent(self, field: str, default: Decimal | None = Decimal(0)) -> Decimal | None:
        """A percentage 0–100. A number between 0 and 1 is refused: it is nearly always a
        fraction (0.2 for 20%) that would silently mean 0.2%. "0.5%", with its sign, is taken
        as written, for the rare assumption that is less than one per cent."""
        raw = self.data.get(field)
        signed = isinstance(raw, str) and raw.strip().endswith("%")
        if signed:
            self.data = {**self.data, field: raw.strip()[:-1]}
        value = self.number(field, required=False, default=default, minimum=Decimal(0),
                            maximum=Decimal(100))
        if value is not None and not signed and 0 < value < 1:
            meant = f"{float(value * 100):g}"
            self.problem(f"{raw} means {raw}%, not {meant}%: write {meant} for {meant}%, or "
                         f"\"{raw}%\" if you do mean less than one per cent", field)
            return default
        return default if value is None else value

    def whole(self, field: str, required: bool = True, default: int | None = None,
              minimum: int = 0, maximum: int | None = None, unit: str = "") -> int | None:
        value = self.number(field, required, None, minimum=Decimal(minimum),
                            maximum=None if maximum is None else Decimal(maximum), unit=unit)
        if value is None:
            return default
        if value != value.to_integral_value():
            self.problem(f"{value} must be a whole number", field)
            return default
        return int(value)

    def choice(self, field: str, choices: dict[str, str] | list[str], required: bool = True,
               default: str = "") -> str:
        value = self.text(field, required, default)
        if value and value not in choices:
            self.problem(f"{value!r} is not one of: {', '.join(choices)}", field)
            return default
        return value

    def items(self, field: str, required: bool = True) -> list:
        value = self._get(field, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem("must be a list", field)
            return []
        if required and not value:
            self.problem("must list at least one", field)
        return value

    def no_unknown_fields(self) -> None:
        """A misspelt field ("deadwieght") would otherwise fall back to its default unseen."""
        for key in self.data:
            if key not in self.used:
                self.problem(f"unknown field (expected one of: {', '.join(sorted(self.used))})", key)

    def finish(self, source: str | None = None) -> None:
        if self.problems:
            raise EconomicsError(self.problems, source)
