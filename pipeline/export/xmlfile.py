"""What TMX and XLIFF files share: text XML 1.0 can hold, and a tree written out as a file."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.files import write_atomic

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# characters XML 1.0 cannot hold at all, even escaped (C0 controls but tab and newlines, lone surrogates, U+FFFE/F)
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object) -> str:
    """`text` with every character XML cannot hold replaced by U+FFFD (escaping is the serializer's)."""
    return _NOT_XML.sub("\ufffd", str(text))


def child(parent: ET.Element, tag: str, text: object = None, **attributes: str) -> ET.Element:
    """A new element under `parent`, its text and attribute values made safe for XML."""
    element = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def write_xml(root: ET.Element, path: Path) -> Path:
    """Write the tree under `root` to `path` as indented UTF-8 XML with a declaration; returns `path`."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    write_atomic(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n")
    return path
