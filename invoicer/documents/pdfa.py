"""XMP metadata for the PDF/A-3 base of a Factur-X invoice (see pdf.py).

fpdf2 writes this packet itself in PDF/A mode, but stamps xmp:ModifyDate with the clock; an
invoice's document is dated by the invoice, so the same invoice gives the same bytes. The
factur-x library replaces the packet with its own (adding its extension schema) when it
embeds the XML.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr


def xmp(*, title: str, subject: str, author: str, tool: str, created: dt.datetime) -> str:
    """The x:xmpmeta element (fpdf2 wraps it in the xpacket), PDF/A-3 conformance B."""
    when = created.astimezone(dt.UTC).isoformat(timespec="seconds")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about=""
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:xmp="http://ns.adobe.com/xap/1.0/"
        xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
        xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
        xmp:CreatorTool={quoteattr(tool)}
        xmp:CreateDate="{when}"
        xmp:ModifyDate="{when}"
        xmp:MetadataDate="{when}"
        pdf:Producer={quoteattr(tool)}>
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
      <dc:description><rdf:Alt>
        <rdf:li xml:lang="x-default">{escape(subject)}</rdf:li>
      </rdf:Alt></dc:description>
      <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>"""
