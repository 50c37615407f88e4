"""Loads a PROV-JSON document with the W3C PROV reference library for Python
(the `prov` package), independently of the platform's own code, and writes
it out again as PROV-N and as RDF (PROV-O, Turtle).

usage: load_prov.py <document.prov.json>

Prints, as JSON on stdout, every relation the package read (its PROV type
and formal attributes), the PROV-N text, and the number of RDF triples of
each PROV-O predicate; exits non-zero, with the reason on stderr, when the
document does not load or convert.
"""

import json
import sys
from collections import Counter

from prov.model import ProvDocument, ProvRelation
from rdflib import Graph


def main(document_file: str) -> None:
    document = ProvDocument.deserialize(source=document_file, format="json")
    relations = [
        {
            "type": str(record.get_type()),
            "formal": {str(name): None if value is None else str(value) for name, value in record.formal_attributes},
        }
        for record in document.get_records(ProvRelation)
    ]
    turtle = document.serialize(format="rdf", rdf_format="turtle")
    graph = Graph().parse(data=turtle, format="turtle")
    predicates = Counter(str(predicate) for _, predicate, _ in graph)
    print(json.dumps({"relations": relations, "provn": document.get_provn(), "rdfPredicates": predicates}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
