"""Plain text as editors paste it, cleaned of the characters XML 1.0 cannot carry.

Text reaches the archive from word processors and spreadsheets. Word writes a manual
line break (Shift+Enter) as a vertical tab (U+000B), and a page break in a CSV cell comes
as a form feed (U+000C); stray escapes and other C0 controls come with them. XML 1.0 can
carry none of these except tab, line feed and carriage return, so one such character in a
summary would make every Atom feed that lists the record unreadable.

:func:`plain_text` is the one rule, applied where text enters the archive (the admin's
record forms, CSV cells) and again where it leaves as XML (the feeds), so that records
stored before the rule existed are served cleaned too. It changes what was typed, on
purpose and only as much as needed:

- a vertical tab or form feed becomes a line break in multi-line text (summaries, full
  texts, biographies), and a space in one-line text (titles, names, dates);
- every other C0 control (U+0000–U+001F but tab, line feed and carriage return), lone
  surrogates and the non-characters U+FFFE and U+FFFF are removed.

Nothing else is touched: tabs, line breaks, and all printable text in any script stay.
This module imports nothing from the archive, so any layer may use it.
"""

import re

# Page and line breaks from word processors and spreadsheets: replaced, not dropped,
# so that the words on either side stay apart.
BREAKS = re.compile("[\x0b\x0c]")
# What else XML 1.0 (section 2.2, Char) cannot hold.
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def plain_text(value: str, multiline: bool = True) -> str:
    """``value`` with the characters XML 1.0 cannot carry replaced or removed (see above)."""
    if not value:
        return value
    value = BREAKS.sub("\n" if multiline else " ", value)
    return NOT_XML.sub("", value)
