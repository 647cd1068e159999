"""README's mapping section documents every element and every attribute of mappings/mapping.xsd
(issue 10: a mapping author must not meet a wall the README does not mention)."""
import os
import re
import xml.etree.ElementTree as ET

from harness import Harness

h = Harness(__doc__)
XS = "{http://www.w3.org/2001/XMLSchema}"
xsd = ET.parse(os.path.join(h.source, "mappings", "mapping.xsd")).getroot()
readme = open(os.path.join(h.source, "README.md"), encoding="utf-8").read()
start = readme.index("## Writing a mapping")
section = readme[start:readme.index("\n## ", start + 1)]
elements = sorted({e.get("name") for e in xsd.iter(XS + "element") if e.get("name")})
attributes = sorted({a.get("name") for a in xsd.iter(XS + "attribute") if a.get("name")})
h.check(len(elements) >= 15 and len(attributes) >= 40, f"the schema was read ({len(elements)} elements, {len(attributes)} attributes)")
for name in elements:
    h.check(re.search(r"<" + re.escape(name) + r"[\s>/]", section) is not None, f"README documents the element <{name}>")
for name in attributes:
    h.check(re.search(r"(?<![\w-])" + re.escape(name) + r"(=|`)", section) is not None,
            f"README documents the attribute {name}=")
h.finish()
