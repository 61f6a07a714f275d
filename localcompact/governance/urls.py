"""Running a compact: /governance/<compact>/... (public pages, then the support team's
and the signatories' actions)."""

from django.urls import path

from . import views

app_name = "governance"

c = "<slug:compact>"
urlpatterns = [
    path("", views.index, name="index"),
    path(f"{c}/", views.home, name="home"),
    path(f"{c}/history/", views.history, name="history"),
    path(f"{c}/outcomes/", views.outcomes, name="outcomes"),
    path(f"{c}/bodies/new/", views.composition_new, name="composition_new"),
    path(f"{c}/bodies/<int:pk>/", views.composition, name="composition"),
    path(f"{c}/bodies/<int:pk>/members/new/", views.member_new, name="member_new"),
    path(
        f"{c}/bodies/<int:pk>/members/<int:member>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        f"{c}/bodies/<int:pk>/in-effect/", views.composition_activate, name="composition_activate"
    ),
    path(f"{c}/plans/new/", views.plan_new, name="plan_new"),
    path(f"{c}/plans/<int:pk>/", views.plan, name="plan"),
    path(f"{c}/plans/<int:pk>/agreed/", views.plan_agree, name="plan_agree"),
    path(f"{c}/plans/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path(f"{c}/actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path(f"{c}/meetings/new/", views.meeting_new, name="meeting_new"),
    path(f"{c}/meetings/<int:pk>/", views.meeting, name="meeting"),
    path(f"{c}/meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path(f"{c}/meetings/<int:pk>/access/", views.meeting_access, name="meeting_access"),
    path(f"{c}/meetings/<int:pk>/agenda/", views.agenda_generate, name="agenda_generate"),
    path(f"{c}/meetings/<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path(f"{c}/meetings/<int:pk>/held/", views.meeting_record, name="meeting_record"),
    path(f"{c}/meetings/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path(f"{c}/meetings/<int:pk>/elections/new/", views.election_new, name="election_new"),
    path(f"{c}/elections/<int:pk>/", views.election, name="election"),
    path(f"{c}/elections/<int:pk>/nominate/", views.nominate, name="nominate"),
    path(f"{c}/elections/<int:pk>/voting/", views.voting_open, name="voting_open"),
    path(f"{c}/elections/<int:pk>/vote/<slug:seat>/", views.vote, name="vote"),
    path(f"{c}/elections/<int:pk>/results/", views.election_close, name="election_close"),
    path(f"{c}/reviews/new/", views.review_new, name="review_new"),
    path(f"{c}/reviews/<int:pk>/done/", views.review_record, name="review_record"),
    path(f"{c}/revisions/new/", views.revision_new, name="revision_new"),
    path(f"{c}/revisions/<int:pk>/", views.revision, name="revision"),
    path(f"{c}/revisions/<int:pk>/decide/", views.revision_decide, name="revision_decide"),
    path(f"{c}/news/", views.news, name="news"),
    path(f"{c}/news/new/", views.post_new, name="post_new"),
    path(f"{c}/news/digest/", views.follow, name="follow"),
    path(f"{c}/news/<int:pk>/", views.post, name="post"),
    path(f"{c}/events.ics", views.events_feed, name="events_feed"),
    path(f"{c}/good-practice/", views.stories, name="stories"),
    path(f"{c}/good-practice/new/", views.story_new, name="story_new"),
    path(f"{c}/good-practice/waiting/", views.stories_waiting, name="stories_waiting"),
    path(f"{c}/good-practice/<int:pk>/decide/", views.story_decide, name="story_decide"),
    path(f"{c}/concerns/", views.concerns, name="concerns"),
    path(f"{c}/concerns/new/", views.concern_new, name="concern_new"),
    path(f"{c}/concerns/<int:pk>/", views.concern, name="concern"),
    path(f"{c}/concerns/<int:pk>/exchange.txt", views.concern_text, name="concern_text"),
]
