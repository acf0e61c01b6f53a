"""The SCORM package's files: a well-formed manifest that lists exactly the files in the zip, a page that
loads only its own files, the website's knowledge-check script unchanged, and the CLI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import pytest

from skintriage.bank.loader import load_bank
from skintriage.cli import main
from skintriage.exports.scorm import write_package
from tests.conftest import ROOT

NS = {
    "1.2": {
        "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    },
    "2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
    },
}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


class _Refs(HTMLParser):
    """Every URL the page would load or link to."""

    def __init__(self):
        super().__init__()
        self.refs, self.inline_scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.refs.append((tag, attrs[name]))
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_manifest_lists_every_file_and_every_listed_file_exists(tmp_path, bank, version):
    package = write_package(tmp_path / "check.zip", bank, version=version, pass_mark=75)
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))  # well-formed, or this raises
        page = archive.read("index.html").decode("utf-8")
        files = {name: archive.read(name) for name in names}
    ns = NS[version]
    assert manifest.tag == f"{{{ns['cp']}}}manifest"
    schema = manifest.find("cp:metadata/cp:schemaversion", ns).text
    assert schema == ("1.2" if version == "1.2" else "2004 4th Edition")
    (resource,) = manifest.findall("cp:resources/cp:resource", ns)
    listed = [f.get("href") for f in resource.findall("cp:file", ns)]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(names) - {"imsmanifest.xml"}  # every file listed, every listed file present
    assert resource.get("href") in listed
    scorm_type = resource.get(f"{{{ns['adlcp']}}}{'scormtype' if version == '1.2' else 'scormType'}")
    assert scorm_type == "sco"
    organizations = manifest.find("cp:organizations", ns)
    default = organizations.get("default")
    (item,) = organizations.findall(f"cp:organization[@identifier='{default}']/cp:item", ns)
    assert item.get("identifierref") == resource.get("identifier")
    if version == "1.2":
        assert item.find("adlcp:masteryscore", ns).text == "75"
    else:
        measure = item.find("imsss:sequencing/imsss:objectives/imsss:primaryObjective/imsss:minNormalizedMeasure", ns)
        assert float(measure.text) == 0.75

    # The page loads only files from the package, runs no inline script, and says which SCORM version it is.
    refs = _Refs()
    refs.feed(page)
    assert refs.refs and all(ref in listed for tag, ref in refs.refs if tag in ("script", "link"))
    assert not [ref for _, ref in refs.refs if ref.startswith(("http:", "https:", "//"))]
    assert refs.inline_scripts == 0
    assert f'data-scorm-version="{version}"' in page and 'data-pass-mark="75"' in page
    assert "Content-Security-Policy" in page
    # One source of truth: the website's script and style, byte for byte.
    static = ROOT / "src" / "skintriage" / "static"
    for name, source in [
        ("exam_core.js", "core/exam_core.js"),
        ("knowledge_check.js", "ui/knowledge_check.js"),
        ("knowledge_check.css", "knowledge_check.css"),
    ]:
        assert files[name] == (static / source).read_bytes()


def test_the_same_bank_gives_the_same_bytes(tmp_path, bank):
    first = write_package(tmp_path / "a.zip", bank).read_bytes()
    assert write_package(tmp_path / "b.zip", bank).read_bytes() == first


def test_cli_writes_both_versions_and_reports_bad_input_without_a_traceback(tmp_path, capsys):
    assert main(["export", "scorm", "--out", str(tmp_path / "a.zip")]) == 0
    assert main(["export", "scorm", "--scorm-version", "2004", "--out", str(tmp_path / "b.zip")]) == 0
    for name in ("a.zip", "b.zip"):
        assert zipfile.ZipFile(tmp_path / name).testzip() is None
    missing = tmp_path / "no-such-folder"
    assert main(["export", "scorm", "--cases", str(missing), "--out", str(tmp_path / "c.zip")]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err and not (tmp_path / "c.zip").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "scorm", "--pass-mark", "120"])
    assert exit_info.value.code == 2
    assert "between 0 and 100" in capsys.readouterr().err
