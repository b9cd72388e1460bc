"""Benchmark: server response times of the Coordinator's and manager's pages.

    DATABASE_URL=sqlite:////tmp/site.sqlite3 python bench/pages.py            # builds `site` if empty
    DATABASE_URL=postgres://…/alongside python bench/pages.py --repeat 50

Fills the database with `alongside demo --scale site` when it holds no people, signs in as
the first ward's Coordinator and as the site manager through Django's test client (the
whole request: middleware, scoping, queries, template), and prints the median and 95th
percentile time and the number of SQL queries per page. The numbers are server time only;
a browser adds the network and the (cached) CSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from second_factor import pass_second_factor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from alongside.accounts.models import User
    from alongside.community.models import CommunityGroup
    from alongside.people.models import Person

    if not Person.objects.exists():
        t = time.perf_counter()
        call_command("demo", scale="site", seed=1, verbosity=0)
        print(f"built the site-scale demo in {time.perf_counter() - t:.0f} s")

    coordinator = User.objects.get(username="coordinator")
    manager = User.objects.get(username="manager")
    ward = coordinator.wards.first()
    # The busiest journey in the ward: the slowest person page a Coordinator will open.
    person = (
        Person.objects.filter(ward=ward).annotate(n=Count("activities")).order_by("-n").first()
    )
    group = CommunityGroup.objects.filter(ward=ward).first()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{Person.objects.count():,} people in {engine}; "
          f"{Person.objects.filter(ward=ward).count():,} in the Coordinator's ward; "
          f"the person shown has {person.n} activities")

    pages = [
        ("coordinator", "caseload", "/caseload/"),
        ("coordinator", "caseload, reviews due", "/caseload/?show=reviews"),
        ("coordinator", "caseload, quiet 6 weeks", "/caseload/?show=quiet&weeks=6"),
        ("coordinator", "person and journey", f"/people/{person.reference}/"),
        ("coordinator", "record an activity (form)", f"/people/{person.reference}/record/activity/"),
        ("coordinator", "new introduction (form)", "/introductions/new/"),
        ("coordinator", "community map", "/community/"),
        ("coordinator", "group page", f"/community/groups/{group.pk}/"),
        ("coordinator", "stories", "/stories/"),
        ("manager", "manager's caseloads", "/caseload/"),
        ("manager", "overview", "/overview/"),
        ("manager", "data quality (12 months)", "/quality/"),
        ("manager", "logic model with evidence", "/logic-model/"),
        ("manager", "distance travelled", "/distance/"),
        ("analyst", "sites compared (cached)", "/sites/"),
        ("manager", "evidence: figures 5-12 (12 months)", "/evidence/patterns/"),
        ("manager", "evidence: figures 5-12 (all time)", "/evidence/patterns/?period=all"),
        ("manager", "evidence: funnel (all time)", "/evidence/funnel/?period=all"),
        ("manager", "evidence: QCA, 4 conditions", "/evidence/qca/?period=all&outcome=outcomes:IC"
         "&conditions=activities:A1&conditions=activities:A2&conditions=activities:A4"
         "&conditions=activities:A7&incl_cut=0.8&n_cut=2"),
        ("analyst", "evidence: figures 5-12, all sites", "/evidence/patterns/?period=all"),
        ("manager", "evidence: model flows (all time)", "/evidence/model/?period=all"),
    ]
    clients = {"coordinator": Client(), "manager": Client(), "analyst": Client()}
    clients["analyst"].force_login(User.objects.get(username="analyst"))
    for who, user in (("coordinator", coordinator), ("manager", manager)):
        # Signed in and past the second factor, as after the two sign-in pages.
        clients[who].force_login(user)
        pass_second_factor(clients[who].session, user)

    print(f"{'page':<36} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for who, label, url in pages:
        c = clients[who]
        c.get(url)  # warm caches (codes, templates)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = c.get(url)
            times.append((time.perf_counter() - t) * 1000)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{label:<36} {r.status_code:>6} {statistics.median(times):>10.1f} {p95:>8.1f} {len(q):>8}")


if __name__ == "__main__":
    main()
