"""Managing organisations: creating and claiming, members and invitations, the pledge,
and the compact support team's pages. Who may use each is in `rules.py`."""

from django.urls import path

from .views import manage

org = "organisations/<slug:slug>"
pledge = f"{org}/pledge/<slug:compact>"
support = "support/<slug:compact>"

urlpatterns = [
    path("organisations/new/", manage.organisation_new, name="new"),
    path(
        "organisations/new/community-group/",
        manage.community_group_new,
        name="community_group_new",
    ),
    path(f"{org}/created/", manage.organisation_created, name="created"),
    path(f"{org}/claim/", manage.organisation_claim, name="claim"),
    path(f"{org}/claim/sent/", manage.claim_sent, name="claim_sent"),
    path(f"{org}/claims/<int:pk>/", manage.claim_decide, name="claim_decide"),
    path(f"{org}/members/", manage.members, name="members"),
    path(f"{org}/members/invite/", manage.invite, name="invite"),
    path(f"{org}/members/<int:pk>/", manage.member, name="member"),
    path(f"{org}/members/<int:pk>/remove/", manage.member_remove, name="member_remove"),
    path(f"{org}/invitations/<int:pk>/revoke/", manage.invitation_revoke, name="invitation_revoke"),
    path(f"{org}/leave/", manage.leave, name="leave"),
    path("invitations/accept/", manage.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/", manage.invitation_open, name="invitation"),
    path(f"{pledge}/", manage.pledge, name="pledge"),
    path(f"{pledge}/signed/", manage.pledge_signed, name="pledge_signed"),
    path(f"{pledge}/withdraw/", manage.withdraw, name="withdraw"),
    path(f"{pledge}/withdrawn/", manage.withdrawn, name="withdrawn"),
    path("support/", manage.support_index, name="support_index"),
    path(f"{support}/", manage.support, name="support"),
    path(f"{support}/organisations/", manage.support_organisations, name="support_organisations"),
    path(
        f"{support}/organisations/<slug:slug>/",
        manage.support_organisation,
        name="support_organisation",
    ),
    path(
        f"{support}/organisations/<slug:slug>/paper-pledge/",
        manage.paper_pledge,
        name="paper_pledge",
    ),
    path(
        f"{support}/organisations/<slug:slug>/paper-withdrawal/",
        manage.paper_withdrawal,
        name="paper_withdrawal",
    ),
    path(f"{support}/organisations/<slug:slug>/verify/", manage.verify, name="verify"),
    path(f"{support}/pledges/<int:pk>/", manage.support_pledge, name="support_pledge"),
    path(f"{support}/roles/", manage.roles, name="roles"),
    path(f"{support}/roles/new/", manage.role_grant, name="role_grant"),
    path(f"{support}/roles/<int:pk>/revoke/", manage.role_revoke, name="role_revoke"),
]
