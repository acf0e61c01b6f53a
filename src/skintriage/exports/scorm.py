"""The knowledge check as a SCORM package (1.2, or 2004 4th edition) for a learning management system.

The package's page is the website's check: the same markup (:class:`skintriage.exam.static_page.StaticCheck`), the same
``static/ui/knowledge_check.js`` and CSS, so the same draw, exam mode and summary. ``assets/scorm_adapter.js`` gives
that script its hooks: it finds the LMS's API, keeps progress in ``cmi.suspend_data`` and reports the score
and pass or fail. Everything the page loads is in the zip; nothing comes from another host.
"""

from __future__ import annotations

import os
import zipfile
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from skintriage.bank.loader import Bank, load_bank
from skintriage.exam import knowledge_check as kc
from skintriage.exam.static_page import StaticCheck
from skintriage.web.render import escape

VERSIONS = ("1.2", "2004")
TITLE = "Knowledge check: spots after microneedling"
LAUNCH = "index.html"
MANIFEST = "imsmanifest.xml"
# (name in the zip, package folder, file name): the check's own files, shared with the website.
ASSETS = [
    ("scorm_adapter.js", "skintriage.exports", "assets/scorm_adapter.js"),
    ("exam_core.js", "skintriage", "static/core/exam_core.js"),
    ("knowledge_check.js", "skintriage", "static/ui/knowledge_check.js"),
    ("knowledge_check.css", "skintriage", "static/knowledge_check.css"),
    ("lms.css", "skintriage.exports", "assets/lms.css"),
]
# A fixed date for every zip entry, so the same bank always gives the same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _asset(package: str, name: str) -> bytes:
    return resources.files(package).joinpath(name).read_bytes()


def launch_page(
    bank: Bank, *, version: str = "1.2", n_questions: int = kc.DEFAULT_N, pass_mark: float = kc.DEFAULT_PASS_MARK
) -> str:
    """The SCO's page. Section names link to the published site only when ``SKINTRIAGE_SITE_URL`` is set."""
    check = StaticCheck(
        bank,
        n_questions=n_questions,
        pass_mark=pass_mark,
        link_sections=bool(os.environ.get("SKINTRIAGE_SITE_URL")),
        inline_questions=True,
    )
    # The policy forbids any request to another origin and any inline script: the page runs only its own files.
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"
    return f"""<!DOCTYPE html>
<html lang="en" data-scorm-version="{escape(version)}" data-bank-fingerprint="{escape(bank.fingerprint)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">
<title>{escape(TITLE)}</title>
<link rel="stylesheet" href="knowledge_check.css">
<link rel="stylesheet" href="lms.css">
</head>
<body>
<main>
<h1>{escape(TITLE)}</h1>
<p id="skt-lms-status" class="skt-lms-status" role="status" aria-live="polite"></p>
<p class="skt-lms-scope">A training resource for aesthetic-clinic staff: recognising what is expected after
microneedling, spotting red flags, recording and escalating. It is not a diagnostic tool: your clinic's
protocols and a prescriber decide.</p>
{check.to_html()}
</main>
<script src="scorm_adapter.js"></script>
<script src="exam_core.js"></script>
<script src="knowledge_check.js"></script>
</body>
</html>
"""


def _manifest_12(files: list[str], pass_mark: float) -> str:
    file_list = "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="skintriage-knowledge-check" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="skintriage-org">
    <organization identifier="skintriage-org">
      <title>{xml_escape(TITLE)}</title>
      <item identifier="skintriage-item" identifierref="skintriage-sco" isvisible="true">
        <title>{xml_escape(TITLE)}</title>
        <adlcp:masteryscore>{pass_mark:g}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="skintriage-sco" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH}">
{file_list}
    </resource>
  </resources>
</manifest>
"""


def _manifest_2004(files: list[str], pass_mark: float) -> str:
    file_list = "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="skintriage-knowledge-check" version="1"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="skintriage-org">
    <organization identifier="skintriage-org">
      <title>{xml_escape(TITLE)}</title>
      <item identifier="skintriage-item" identifierref="skintriage-sco">
        <title>{xml_escape(TITLE)}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="pass-mark" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{pass_mark / 100:g}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="skintriage-sco" type="webcontent" adlcp:scormType="sco" href="{LAUNCH}">
{file_list}
    </resource>
  </resources>
</manifest>
"""


def package_files(
    bank: Bank | None = None,
    *,
    version: str = "1.2",
    n_questions: int = kc.DEFAULT_N,
    pass_mark: float = kc.DEFAULT_PASS_MARK,
) -> dict[str, bytes]:
    """Every file of the package by its name in the zip, the manifest first."""
    if version not in VERSIONS:
        raise ValueError(f"SCORM version must be one of {', '.join(VERSIONS)}, not {version!r}")
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass mark must be between 0 and 100, not {pass_mark}")
    bank = bank if bank is not None else load_bank()
    content = {LAUNCH: launch_page(bank, version=version, n_questions=n_questions, pass_mark=pass_mark).encode()}
    for name, package, path in ASSETS:
        content[name] = _asset(package, path)
    build = _manifest_2004 if version == "2004" else _manifest_12
    return {MANIFEST: build(list(content), pass_mark).encode(), **content}


def write_package(out: Path, bank: Bank | None = None, **options) -> Path:
    """Write the zip (``options`` as for :func:`package_files`); the manifest sits at its root."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(bank, **options).items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out
