"""Where the pages link to: the service's own URLs for IRIs under the public base."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class Links:
    """Maps IRIs to hrefs. IRIs under the base link to this service's pages, so browsing
    stays here even before the w3id redirect points at the host; `lang` is kept when the
    reader chose it with the switch."""

    base_iri: str
    lang: str | None = None

    @property
    def ontology_iri(self) -> str:
        """The ontology's IRI (its terms are `{ontology}#Term`)."""
        return f"{self.base_iri}ontology"

    def document_path(self, iri: str) -> str | None:
        """`/doc/{kind}/{slug}` for an instance IRI `{base}id/{kind}/{slug}`, else None."""
        prefix = f"{self.base_iri}id/"
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return "/doc/" + quote(iri[len(prefix) :], safe="/-._~")
        return None

    def href(self, iri: str) -> str:
        """The link for an IRI: a page of this service where there is one, else the IRI."""
        if (path := self.document_path(iri)) is not None:
            return self.with_lang(path)
        if iri == self.ontology_iri or iri.startswith(self.ontology_iri + "#"):
            fragment = iri[len(self.ontology_iri) :]
            return self.with_lang("/ontology") + fragment
        return iri

    def with_lang(self, path: str, **params: str) -> str:
        """`path` with the chosen language and other parameters in its query string."""
        query = dict(params)
        if self.lang:
            query["lang"] = self.lang
        return f"{path}?{urlencode(query)}" if query else path
