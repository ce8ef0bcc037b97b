"""The Lighthouse report's reading of results (Lighthouse itself runs only in the benchmark)."""

from platformgov.site import lighthouse


def lhr(perf_score: float, metric_score: float, seo_audit_score: float) -> dict:
    return {
        "categories": {
            "performance": {
                "id": "performance",
                "score": perf_score,
                "auditRefs": [
                    {"id": "first-contentful-paint", "weight": 10},
                    {"id": "uses-long-cache-ttl", "weight": 0},
                ],
            },
            "seo": {
                "id": "seo",
                "score": 0.91,
                "auditRefs": [{"id": "hreflang", "weight": 1}],
            },
        },
        "audits": {
            "first-contentful-paint": {"score": metric_score, "displayValue": "2.9 s"},
            "uses-long-cache-ttl": {"score": 0},
            "hreflang": {"score": seo_audit_score},
        },
    }


def test_failing_audits_name_what_cost_points():
    failing = lighthouse.failing_audits(lhr(0.7, 0.5, 0))
    assert failing == ["perf: first-contentful-paint (2.9 s)", "seo: hreflang"]
    # A good metric and an unweighted audit cost nothing worth listing.
    assert lighthouse.failing_audits(lhr(0.99, 0.95, 1)) == []


def test_table_prints_scores_next_to_targets():
    results = [
        lighthouse.Result("ko/index.html", "desktop", {c: 100 for c in lighthouse.CATEGORIES}),
        lighthouse.Result(
            "ko/index.html",
            "mobile",
            {"performance": 94, "accessibility": 100, "best-practices": 100, "seo": 91},
            failing=["seo: hreflang"],
        ),
        lighthouse.Result("en/index.html", "mobile", error="Chrome could not start"),
    ]
    table = lighthouse.format_table(results)
    assert "≥95" in table and "≥100" in table
    assert "94*" in table and "91*" in table
    assert "error: Chrome could not start" in table
    assert "ko/index.html mobile: seo: hreflang" in table
    assert lighthouse.HREFLANG_HINT in table


def test_chapter_pages_skip_the_index_and_search_pages(tmp_path):
    for edition in ("ko", "en"):
        (tmp_path / edition).mkdir()
        for name in ("index", "taxonomy", "genindex", "search"):
            (tmp_path / edition / f"{name}.html").write_text("<html></html>")
    assert lighthouse.chapter_pages(tmp_path) == [
        "ko/index.html",
        "ko/taxonomy.html",
        "en/index.html",
        "en/taxonomy.html",
    ]
    assert lighthouse.chapter_pages(tmp_path, ("en",), ["taxonomy"]) == ["en/taxonomy.html"]
