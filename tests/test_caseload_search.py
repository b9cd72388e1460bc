"""Finding someone on the caseload by name or reference: within the user's wards and no further,
whatever the person's status or Coordinator."""

from datetime import date

from .conftest import make_person


def _found(client, q, **more):
    page = client.get("/caseload/", {"q": q, **more}).content.decode()
    table = page[page.index('id="people"'):]
    return table


def test_a_coordinator_finds_people_of_their_wards_by_name_or_reference(world, login):
    # A closed engagement, and a colleague's person in the same ward (cover): both found.
    closed = make_person("P-ZZZZZZ1", world.ward_a, world.coordinator_a, "Aleda", status="closed",
                         started=date(2024, 1, 1))
    colleague = make_person("P-ZZZZZZ2", world.ward_a, world.coordinator_b, "Alun")
    client = login(world.coordinator_a)
    table = _found(client, "ale")
    assert "P-AAAAAAA" in table and "P-ZZZZZZ1" in table and "P-ZZZZZZ2" not in table
    assert "P-ZZZZZZ2" in _found(client, "alun example")  # two words: both must match
    assert "P-ZZZZZZ1" in _found(client, "zzzzzz1")  # part of a reference, any case
    # Without a search the list is still the Coordinator's own open people.
    default = client.get("/caseload/").content.decode()
    assert "P-ZZZZZZ2" not in default and closed.reference not in default
    assert colleague.reference not in default
    # A chosen status narrows the search.
    assert "P-ZZZZZZ1" not in _found(client, "ale", status="open")


def test_a_search_never_reaches_beyond_the_users_wards(world, login):
    # Bethan (ward B) and Ceri (another council) exist; neither is found from ward A or Lowmere.
    assert "P-BBBBBBB" not in _found(login(world.coordinator_a), "bethan")
    assert "P-BBBBBBB" not in _found(login(world.coordinator_a), "BBBBBBB")
    manager = login(world.manager)
    assert "P-BBBBBBB" in _found(manager, "bethan")
    assert "P-CCCCCCC" not in _found(manager, "ceri") and "P-CCCCCCC" not in _found(manager, "CCCC")
    # Markup in the search is shown as text.
    page = manager.get("/caseload/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    for user in (world.commissioner, world.analyst):
        assert login(user).get("/caseload/", {"q": "aled"}).status_code == 403
