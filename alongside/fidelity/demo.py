"""Self-reviews for the synthetic demo: the quarter before last signed off (in two versions),
the last quarter a draft, so every state of a review can be seen. Synthetic text only."""

from alongside.accounts.models import Role, User
from alongside.places.models import Council
from alongside.reports.figures import recent_quarters

from .measures import measure
from .models import Judgement, SelfReview
from .principles import PRINCIPLES

EVIDENCE = "Synthetic demo evidence: what the measures, stories and partners showed this quarter."
ACTIONS = "Synthetic demo action for next quarter."


def demo_reviews(council: Council) -> None:
    manager = User.objects.filter(council=council, role=Role.MANAGER).first()
    if manager is None:
        return
    last, before = recent_quarters()[:2]
    for period, versions, signed in ((before, 2, True), (last, 1, False)):
        figures = [f.as_dict() for f in measure(council.wards.all(), period.start, period.end)]
        for v in range(1, versions + 1):
            review = SelfReview.objects.create(council=council, quarter=period.code, version=v,
                                               written_by=manager, measures=figures)
            Judgement.objects.bulk_create([
                Judgement(review=review, principle=p.key, rating=2 + (i + v + council.pk) % 3,
                          evidence=EVIDENCE, actions=ACTIONS if i % 3 == 0 else "")
                for i, p in enumerate(PRINCIPLES)])
        if signed:
            review.signed_off_by, review.signed_off_at = manager, review.written_at
            review.save(update_fields=["signed_off_by", "signed_off_at"])
