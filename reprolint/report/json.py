"""`--format json`: the report as a document whose shape is versioned (reprolint/schema/report.schema.json)."""
from __future__ import annotations

import json
from collections import Counter

from reprolint import __version__
from reprolint.report import area_summary, checklist_document, fix_text, provenance_document, score_document

SCHEMA_VERSION = 1


def render(result) -> str:
    findings = result.findings
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "reprolint", "version": __version__},
        "root": str(result.root),
        "provenance": provenance_document(result),
        "files_analyzed": result.files_analyzed,
        "summary": {
            "findings": len(findings),
            "by_severity": dict(Counter(f.severity.label for f in findings)),
            "by_area": area_summary(findings),
        },
        "findings": [
            {"code": f.code, "name": f.name, "area": f.area, "severity": f.severity.label, "path": f.path,
             "line": f.line, "column": f.col, "cell": f.cell, "message": f.message,
             "fix": fix_text(f, result.rules), "fixable": f.fixable,
             "url": result.provenance.permalink(f.path, f.line) if not f.cell else None}
            for f in findings
        ],
        "score": score_document(result.score),
        "checklist": checklist_document(result.checklist),
        "notes": result.notes,
        "errors": result.errors,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
