"""The vocabularies of the DCAT-AP 3.0 export (issue 17 part 1): namespaces, the JSON-LD context, and the EU
authority tables the portal's own choices map to (frequency, access right, file type), each emitted with its
Chinese skos:prefLabel and skos:inScheme so that the graph carries the classes the DCAT-AP range shapes and
the MDR vocabulary shapes check (a SHACL sh:class is tested against the data graph, not the web).
"""

from __future__ import annotations

from urllib.parse import quote

from django.utils.translation import gettext as _

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

PREFIXES = {
    "dcat": DCAT,
    "dct": DCT,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "adms": "http://www.w3.org/ns/adms#",
}

# Terms whose values are not Chinese text (codes, numbers) or are typed: everything else is a zh literal.
_UNTAGGED = ("dct:identifier", "dcat:version", "rdfs:label", "dct:type", "hydra:totalItems", "vcard:hasTelephone")
_TYPED = {
    "dct:issued": "xsd:date",
    "dct:modified": "xsd:dateTime",
    "dcat:byteSize": "xsd:decimal",  # DCAT-AP 3.0.0 shapes.ttl: sh:datatype xsd:decimal (DCAT 3 itself: a number)
    "hydra:totalItems": "xsd:nonNegativeInteger",
}
_LINKS = (
    "dcat:accessURL",
    "dcat:downloadURL",
    "dcat:endpointURL",
    "dcat:endpointDescription",
    "dcat:landingPage",
    "foaf:homepage",
    "hydra:first",
    "hydra:last",
    "hydra:next",
    "hydra:previous",
    "skos:inScheme",
    "dcat:themeTaxonomy",
    "dcat:servesDataset",
    "dcat:accessService",
    "dcat:hasVersion",
    "dct:hasVersion",
    "dcat:previousVersion",
    "dcat:hasCurrentVersion",
    "vcard:hasURL",
)


def context(base_url: str) -> dict:
    """The JSON-LD context: prefixes, Chinese as the default language, typed dates and coerced links."""
    ctx: dict = {**PREFIXES, "portal": f"{base_url}/ns#", "@language": "zh"}
    for term in _UNTAGGED:
        ctx[term] = {"@id": term, "@language": None}
    for term, datatype in _TYPED.items():
        ctx[term] = {"@id": term, "@type": datatype}
    for term in _LINKS:
        ctx[term] = {"@id": term, "@type": "@id"}
    ctx["portal:gradeLevel"] = {"@id": "portal:gradeLevel", "@language": None}
    return ctx


# docs/features.md O1: the portal's update cycles against the EU frequency table.
FREQUENCIES = {
    "realtime": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
}


def frequency(value: str, label: str) -> dict:
    code = FREQUENCIES.get(value, "UNKNOWN")
    return {
        "@id": f"{EU}frequency/{code}",
        "@type": ["dct:Frequency", "skos:Concept"],
        "skos:prefLabel": label,
        "skos:inScheme": f"{EU}frequency",
    }


def access_right(code: str) -> dict:
    """PUBLIC (unconditional open data), RESTRICTED (on application, or shared between departments only: Lhasa
    art. 17), NON_PUBLIC (not shared)."""
    labels = {"PUBLIC": _("公开"), "RESTRICTED": _("受限"), "NON_PUBLIC": _("非公开")}
    return {
        "@id": f"{EU}access-right/{code}",
        "@type": ["dct:RightsStatement", "skos:Concept"],
        "skos:prefLabel": labels[code],
        "skos:inScheme": f"{EU}access-right",
    }


# The download formats of open data (openness.services.usage.FORMATS) as EU file types and IANA media types.
FILE_TYPES = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def file_type(fmt: str) -> dict:
    code, _media = FILE_TYPES[fmt]
    return {
        "@id": f"{EU}file-type/{code}",
        "@type": ["dct:MediaTypeOrExtent", "skos:Concept"],
        "skos:prefLabel": code,
        "skos:inScheme": f"{EU}file-type",
    }


def media_type(fmt: str) -> dict:
    return {"@id": IANA + FILE_TYPES[fmt][1], "@type": "dct:MediaType"}


def themes_url(base_url: str) -> str:
    return f"{base_url}/themes/"


def theme(base_url: str, label: str) -> dict:
    """A theme of the portal's own scheme (served at /themes/): the label is the key, as the catalog stores it."""
    return {
        "@id": f"{themes_url(base_url)}#{quote(label, safe='')}",
        "@type": "skos:Concept",
        "skos:prefLabel": label,
        "skos:inScheme": themes_url(base_url),
    }


def agent(base_url: str, department) -> dict:
    """The publisher (dct:publisher, foaf:Agent) with its unified social credit code (GB 32100)."""
    return {
        "@id": f"{base_url}/departments/#{department.code}",
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": department.name,
        "dct:identifier": department.uscc,
    }


def contact(base_url: str, department) -> dict:
    card = {
        "@id": f"{base_url}/departments/#{department.code}-contact",
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": department.contact_name or department.name,
        "vcard:organization-name": department.name,
    }
    if department.contact_phone:
        card["vcard:hasTelephone"] = {"@id": "tel:" + quote(department.contact_phone.replace(" ", ""), safe="+-")}
    return card


def landing(url: str) -> dict:
    return {"@id": url, "@type": "foaf:Document"}


def standard(url: str, label: str) -> dict:
    return {"@id": url, "@type": "dct:Standard", "rdfs:label": label}
