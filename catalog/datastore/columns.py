"""Data items (信息项) as the datastore sees them: a key, a display name and a type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

SCHEMA = "datastore"

# type of a data item -> PostgreSQL column type
TYPES: dict[str, str] = {
    "string": "text",
    "integer": "bigint",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamptz",
    "boolean": "boolean",
    "id_number": "text",  # 18-digit resident identity number (居民身份证号码), stdnum.cn.ric
    "uscc": "text",  # unified social credit code (统一社会信用代码), stdnum.cn.uscc
    "phone": "text",  # mainland mobile number or landline
}

# Types stored as text: what a CSV consumer could take for a spreadsheet formula.
TEXT_TYPES = frozenset(t for t, pg in TYPES.items() if pg == "text")

# The row-number column every data table has (bigint identity, primary key, load order).
ROW_COLUMN = "_row"
# The line of the uploaded file each row came from (header = line 1; SECURITY.md 14.21: errors and the
# personal-data check name the same line). Item keys start with a letter, so neither name is taken.
LINE_COLUMN = "_line"

# docs/features.md D2 (Tongren art. 22 加密存储): an encrypted item's column holds ciphertext (bytea) and its
# blind index (a keyed hash for equality look-ups) sits beside it in "_i_<key>".
INDEX_PREFIX = "_i_"

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}", re.ASCII)


def is_identifier(value) -> bool:
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def check_identifier(value, what: str | None = None) -> str:
    """Return value if it is a safe SQL identifier (^[a-z][a-z0-9_]{0,62}$), else ValueError.

    Identifiers are quoted in every statement anyway; this keeps them plain as well."""
    if not is_identifier(value):
        raise ValueError(
            _("%(what)s「%(value)s」无效：只能由小写字母、数字和下划线组成，以字母开头，最多 63 个字符")
            % {"what": what or _("标识"), "value": str(value)[:80]}
        )
    return value


@dataclass(frozen=True)
class Column:
    """One data item (信息项) of a resource."""

    key: str  # SQL identifier
    name: str  # display name, the header of the column in a CSV, e.g. "身份证号"
    type: str  # one of TYPES
    length: int | None = None  # max characters for "string"; max digits for "decimal"
    required: bool = False
    # stored encrypted (SECURITY.md "Encryption at rest"): ciphertext plus a blind index, never plaintext
    encrypted: bool = False

    def __post_init__(self):
        check_identifier(self.key, _("信息项标识"))
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(_("信息项「%(key)s」缺少名称") % {"key": self.key})
        if self.type not in TYPES:
            raise ValueError(_("信息项「%(key)s」的类型「%(type)s」不受支持") % {"key": self.key, "type": self.type})
        if self.length is not None and (
            isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1
        ):
            raise ValueError(_("信息项「%(key)s」的长度必须是正整数") % {"key": self.key})

    @property
    def pg_type(self) -> str:
        return TYPES[self.type]

    @property
    def index_key(self) -> str:
        """The name of the blind-index column of an encrypted item (at most 63 characters)."""
        name = INDEX_PREFIX + self.key
        if len(name) > 63:
            import hashlib

            name = INDEX_PREFIX + self.key[:40] + hashlib.sha256(self.key.encode()).hexdigest()[:20]
        return name


def check_columns(columns) -> list[Column]:
    """A non-empty list of Columns with distinct keys and distinct names, else ValueError."""
    columns = list(columns)
    if not columns:
        raise ValueError(_("至少需要一个信息项"))
    keys, names = set(), set()
    for column in columns:
        if not isinstance(column, Column):
            raise TypeError(f"not a Column: {column!r}")
        if column.key in keys:
            raise ValueError(_("信息项标识「%(key)s」重复") % {"key": column.key})
        name = column.name.strip()
        if name in names:
            raise ValueError(_("信息项名称「%(name)s」重复") % {"name": name})
        keys.add(column.key)
        names.add(name)
    return columns
