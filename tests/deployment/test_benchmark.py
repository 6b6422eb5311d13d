"""The benchmark keeps working: a small run end to end, on its own scratch database."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_on_a_scratch_database_and_ends_with_a_json_summary(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--documents", "2000", "--requests", "3"]
        + ["--keep", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["documents"] == 2000
    for key in (
        "import_rows_per_s",
        "raw_insert_rows_per_s",
        "import_share_of_raw",
        "sql_floor_rows_per_s",
        "sql_floor_share_of_raw",
        "sql_floor_without_search_share_of_raw",
        "search_p50_ms",
        "search_p95_ms",
        "search_queries",
        "cold_search_p50_ms",
        "cold_search_p95_ms",
        "detail_p50_ms",
        "peak_rss_mb",
        "prolific_documents",
        "document_alone_p50_ms",
        "document_beside_five_prolific_p50_ms",
        "prolific_under_load_p50_ms",
    ):
        assert summary[key] > 0, key
    assert "/documents/?q=zeppelin" in result.stdout
    # The import cannot outrun plain SQL doing its writes, and the search index is part
    # of them: the floor without it is the faster one.
    assert summary["import_rows_per_s"] < summary["sql_floor_rows_per_s"]
    assert summary["sql_floor_share_of_raw"] < summary["sql_floor_without_search_share_of_raw"]
    assert not list(tmp_path.glob("*floor*")) and not list(tmp_path.glob("before-*"))
    assert summary["search_queries"] <= 12  # on every page, cached or not
    # One person named in two documents of five: the prolific page is measured.
    assert 600 < summary["prolific_documents"] < 1000
