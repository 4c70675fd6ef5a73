import io
import time

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sutiao.accounts.roles import Role
from sutiao.audit.log import verify
from sutiao.institutions.models import MediationOrg
from sutiao.roster import actions, importing, spreadsheets
from sutiao.roster.models import ImportJob, Mediator
from tests import factories as f

from . import factories as rf

pytestmark = pytest.mark.django_db


def _national():
    office = f.office(name="国家知识产权局", region=None, level="national")
    return f.person(Role.IP_OFFICE_STAFF, ip_office=office)


def _import(actor, data: bytes, filename="m.xlsx", kind="") -> ImportJob:
    job = actions.start_import(actor=actor, filename=filename, data=data, kind=kind, queue=False)
    return importing.run(job.pk)


def test_10000_mediators_with_25_bad_rows_reports_exactly_those_and_imports_once():
    org = f.org("海淀知识产权调解中心")
    actor = _national()
    data, bad_lines = rf.mediator_sheet(10_000, org_name=org.name)
    assert len(bad_lines) == 25

    started = time.perf_counter()
    job = _import(actor, data)
    first_seconds = time.perf_counter() - started

    assert job.status == ImportJob.Status.DONE, job.failure
    reported = {e["line"]: e["reasons"] for e in job.errors}
    assert set(reported) == set(bad_lines)
    assert all(reasons for reasons in reported.values())
    for line, kind in bad_lines.items():
        text = "；".join(reported[line])
        column = {
            "id_checksum": "身份证号码",
            "phone": "手机号码",
            "region": "行政区划代码",
            "expertise": "擅长领域",
            "duplicate": "身份证号码",
            "name": "姓名",
            "org": "所属调解组织",
        }[kind]
        assert column in text, (line, kind, text)
    assert job.created_count == 10_000 - 25
    assert Mediator.objects.count() == 10_000 - 25
    assert org.mediators.count() == 10_000 - 25
    one = Mediator.objects.get(name="批量调解员1")
    assert set(one.ip_kinds.values_list("code", flat=True)) == {"patent", "trademark"}
    assert one.id_number == rf.mediator_id_number(1)
    assert one.import_job_id == job.pk

    started = time.perf_counter()
    again = _import(actor, data)
    second_seconds = time.perf_counter() - started
    assert again.created_count == 0
    assert again.existing_count == 10_000 - 25
    assert {e["line"] for e in again.errors} == set(bad_lines)
    assert Mediator.objects.count() == 10_000 - 25
    assert verify().ok
    print(f"\nimport 10,000 rows: {first_seconds:.1f}s first, {second_seconds:.1f}s again")


def test_error_report_downloads_as_xlsx_with_line_and_reason(
    inline_imports, django_capture_on_commit_callbacks
):
    actor = _national()
    data, bad_lines = rf.mediator_sheet(60)
    client = f.client_for(actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/roster/import/", {"file": _upload(data, "名单.xlsx")})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    page = client.get(f"/roster/import/{job.pk}/").content.decode()
    assert "名单.xlsx" in page
    for line in bad_lines:
        assert f"<td>{line}</td>" in page
    report = client.get(f"/roster/import/{job.pk}/errors.xlsx")
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(report.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == set(bad_lines)
    assert all(r[2] for r in rows)
    assert not job.stored_path or not _exists(job.stored_path)  # the upload is not kept


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _exists(path):
    from django.core.files.storage import default_storage

    return default_storage.exists(path)


def test_progress_fragment_polls_until_finished():
    actor = _national()
    job = actions.start_import(
        actor=actor, filename="a.xlsx", data=rf.mediator_sheet(3, bad=False)[0], queue=False
    )
    client = f.client_for(actor)
    html = client.get(f"/roster/import/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    importing.run(job.pk)
    html = client.get(f"/roster/import/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in html
    assert 'value="100"' in html


def test_someone_else_cannot_see_an_import():
    job = actions.start_import(
        actor=_national(), filename="a.xlsx", data=rf.mediator_sheet(2, bad=False)[0], queue=False
    )
    other, _ = rf.office_staff()
    assert f.client_for(other).get(f"/roster/import/{job.pk}/").status_code == 404


def test_csv_in_utf8_and_gb18030_imports_the_same():
    actor = _national()
    header = ",".join(c.header for c in spreadsheets.MEDIATOR_COLUMNS)
    row = ",".join(rf.mediator_row(5)).replace("专利、商标", "专利")
    for encoding in ("utf-8-sig", "gb18030"):
        job = _import(actor, f"{header}\n{row}\n".encode(encoding), filename="m.csv")
        assert job.status == ImportJob.Status.DONE
    assert Mediator.objects.count() == 1


def test_orgs_import_validates_and_is_idempotent():
    actor = _national()
    rows = [
        [
            "北京甲调解中心",
            "知识产权保护中心",
            "110108",
            "",
            "专利、商标",
            "否",
            "",
            "张三",
            "010-12345678",
            "",
            "",
        ],
        [
            "北京乙调解中心",
            "人民调解委员会",
            "110105",
            "",
            "著作权",
            "是",
            "按标的收费",
            "",
            "13900001111",
            "",
            "",
        ],
        ["北京甲调解中心", "知识产权保护中心", "110108", "", "专利", "否", "", "", "", "", ""],
        ["北京丙调解中心", "外星组织", "110108", "", "专利", "否", "", "", "", "", ""],
        ["北京丁调解中心", "行业协会", "110108", "123", "专利", "否", "", "", "", "", ""],
        ["北京戊调解中心", "行业协会", "110108", "", "", "否", "", "", "12", "", ""],
    ]
    data = rf.org_sheet(rows)
    job = _import(actor, data, filename="orgs.xlsx")
    assert job.kind == ImportJob.Kind.ORGS
    assert job.created_count == 2
    assert [e["line"] for e in job.errors] == [4, 5, 6, 7]
    assert "同" not in job.errors[0]["name"]
    paid = MediationOrg.objects.get(name="北京乙调解中心")
    assert paid.charges_fees and paid.kind == "peoples_mediation_committee"
    assert list(paid.ip_kinds.values_list("code", flat=True)) == ["copyright"]
    again = _import(actor, data, filename="orgs.xlsx")
    assert again.created_count == 0 and again.existing_count == 2
    assert MediationOrg.objects.count() == 2


@pytest.mark.rule("Notice-8a")
def test_a_provincial_office_imports_only_its_own_region():
    staff, _ = rf.office_staff(region="110000")
    data = rf.org_sheet(
        [
            ["北京某中心", "其他", "110108", "", "专利", "否", "", "", "", "", ""],
            ["广州某中心", "其他", "440106", "", "专利", "否", "", "", "", "", ""],
        ]
    )
    job = _import(staff, data, filename="o.xlsx")
    assert job.created_count == 1
    assert job.errors[0]["line"] == 3
    assert "行政区划代码" in job.errors[0]["reasons"][0]


def test_a_file_without_the_template_columns_is_refused(inline_imports):
    actor = _national()
    client = f.client_for(actor)
    response = client.post("/roster/import/", {"file": _upload(b"a,b\n1,2\n", "x.csv")})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_parties_cannot_import():
    party = f.person(Role.PARTY)
    response = f.client_for(party).post("/roster/import/", {"file": _upload(b"x", "x.csv")})
    assert response.status_code == 403


def test_templates_have_chinese_headers():
    for kind, columns in spreadsheets.COLUMNS.items():
        response = f.client_for(_national() if kind == "orgs" else f.person()).get(
            f"/roster/import/template/{kind}.xlsx"
        )
        ws = load_workbook(io.BytesIO(response.content)).active
        headers = [c.value.rstrip("*") for c in ws[1]]
        assert headers == [c.header for c in columns]


def test_command_line_import_shows_progress_and_summary(tmp_path, capsys):
    f.org("海淀知识产权调解中心")
    data, bad_lines = rf.mediator_sheet(2500, org_name="海淀知识产权调解中心")
    path = tmp_path / "mediators.xlsx"
    path.write_bytes(data)
    errors = tmp_path / "errors.xlsx"
    call_command("roster", "import", str(path), "--errors", str(errors))
    out = capsys.readouterr().out
    assert "[" in out and "100%" in out
    assert f"Created {2500 - 25}" in out
    assert errors.exists()
    call_command("roster", "import", str(path))
    out = capsys.readouterr().out
    assert "Created 0" in out
    assert Mediator.objects.count() == 2500 - 25


@pytest.mark.django_db(transaction=True)
def test_upload_returns_at_once_and_the_import_runs_in_a_background_thread():
    import threading

    actor = _national()
    data, bad_lines = rf.mediator_sheet(3000)
    client = f.client_for(actor)
    response = client.post("/roster/import/", {"file": _upload(data, "bg.xlsx")})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    # the page answers while the import runs
    assert client.get(f"/roster/import/{job.pk}/progress/").status_code == 200
    for thread in threading.enumerate():
        if thread.name == f"roster-import-{job.pk}":
            thread.join(timeout=120)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 3000 - 25 and job.error_count == 25
