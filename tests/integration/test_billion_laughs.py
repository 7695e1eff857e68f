"""RDF/XML entity bombs are refused before pyoxigraph expands them (it has no bound)."""

from __future__ import annotations

import httpx

from tests.conftest import Service

PROLOG = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {entities} ]>\n'
BODY = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/a"><ex:p>{refs}</ex:p></rdf:Description>
</rdf:RDF>"""


def put(service: Service, document: str) -> httpx.Response:
    return httpx.put(
        f"{service.url}/data",
        params={"graph": "http://e/laughs"},
        content=document,
        headers={"Content-Type": "application/rdf+xml", **service.auth},
        timeout=60,
    )


def test_billion_laughs_is_refused(service: Service) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    r = put(service, PROLOG.format(entities=entities) + BODY.format(refs="&lol9;"))
    assert r.status_code == 400 and "nested entities" in r.json()["detail"]


def test_quadratic_blowup_is_refused(service: Service) -> None:
    entities = f'<!ENTITY big "{"x" * 100_000}">'
    r = put(service, PROLOG.format(entities=entities) + BODY.format(refs="&big;" * 200))
    assert r.status_code == 400 and "expand" in r.json()["detail"]


def test_namespace_entities_as_owl_files_use_them_still_load(service: Service) -> None:
    entities = '<!ENTITY ex "http://e/">'
    document = PROLOG.format(entities=entities) + BODY.replace(
        'rdf:about="http://e/a"', 'rdf:about="&ex;a"'
    ).format(refs="plain")
    r = put(service, document)
    assert r.status_code in (201, 204), r.text
