"""GET /widget.js and /widget/demo: the embeddable script and a page that embeds it."""

from app.intake.assets import STATIC


async def test_the_script_is_served_as_javascript_with_caching_headers(client):
    response = await client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "max-age=" in response.headers["cache-control"]
    assert response.headers["cache-control"].startswith("public")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.content == (STATIC / "widget.js").read_bytes()


async def test_a_current_copy_is_revalidated_with_304(client):
    etag = (await client.get("/widget.js")).headers["etag"]
    for tag in (etag, f"W/{etag}", f'"other", {etag}'):
        response = await client.get("/widget.js", headers={"If-None-Match": tag})
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["etag"] == etag
    stale = await client.get("/widget.js", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_the_script_is_small_and_uses_no_framework():
    script = (STATIC / "widget.js").read_text()
    assert len(script.encode()) < 16 * 1024
    for needed in ("data-key", "data-app-version", "Idempotency-Key", "/v1/intake/widget", "?key="):
        assert needed in script
    for framework in ("import ", "require(", "React", "jQuery"):
        assert framework not in script


async def test_the_demo_page_embeds_the_widget_with_the_key(client):
    response = await client.get("/widget/demo", params={"key": "sd_pk_demo123"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js" data-key="sd_pk_demo123"' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_the_demo_page_escapes_the_key(client):
    response = await client.get("/widget/demo", params={"key": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in response.text
    assert "&quot;&gt;&lt;script&gt;" in response.text


async def test_the_demo_page_without_a_key_says_how_to_use_it(client):
    response = await client.get("/widget/demo")
    assert response.status_code == 200
    assert "?key=" in response.text
    assert 'src="/widget.js"' not in response.text
