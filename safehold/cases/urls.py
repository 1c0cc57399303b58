"""Casework pages, under /cases/."""

from django.urls import path

from safehold.cases.views import (
    calendar,
    case_actions,
    case_detail,
    case_enforcement,
    case_export,
    case_list,
    imports,
    reassign,
    referrals,
    set_up,
    tasks,
    triage,
)

app_name = "cases"
urlpatterns = [
    path("", case_list.case_list, name="list"),
    path("export/", case_export.case_export, name="export"),
    path("<uuid:pk>/", case_detail.case_detail, name="detail"),
    path("documents/<uuid:pk>/", case_detail.document, name="document"),
    path("<uuid:pk>/chronology/add/", case_actions.add_entry, name="add-entry"),
    path("<uuid:pk>/people/add/", case_actions.link_person, name="link-person"),
    path("<uuid:pk>/interventions/add/", case_actions.add_intervention, name="add-intervention"),
    path("<uuid:pk>/tasks/add/", case_actions.add_task, name="add-task"),
    path("<uuid:pk>/risk/", case_actions.change_risk, name="change-risk"),
    path("<uuid:pk>/close/", case_actions.close, name="close"),
    path("<uuid:pk>/reopen/", case_actions.reopen, name="reopen"),
    path("<uuid:pk>/enforcement/add/", case_enforcement.add_enforcement, name="add-enforcement"),
    path("enforcement/<uuid:pk>/", case_enforcement.enforcement_update, name="enforcement-update"),
    path(
        "enforcement/<uuid:pk>/documents/add/",
        case_enforcement.enforcement_document,
        name="enforcement-document",
    ),
    path("triage/", triage.queue, name="triage"),
    path("triage/<uuid:pk>/", triage.referral, name="triage-referral"),
    path("triage/<uuid:pk>/accept/", triage.accept, name="triage-accept"),
    path("triage/<uuid:pk>/decline/", triage.decline, name="triage-decline"),
    path("triage/<uuid:pk>/signpost/", triage.signpost, name="triage-signpost"),
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/feed.ics", calendar.feed, name="calendar-feed"),
    path("calendar/address/", calendar.feed_address, name="calendar-feed-address"),
    path("triage/<uuid:pk>/add-to-case/", triage.add_to_case, name="triage-add-to-case"),
    path("tasks/", tasks.my_tasks, name="my-tasks"),
    path("tasks/team/", tasks.team_tasks, name="team-tasks"),
    path("tasks/<uuid:pk>/done/", tasks.complete_task, name="task-complete"),
    path("asb/", tasks.asb_queue, name="asb-queue"),
    path("set-up/", set_up.set_up, name="set-up"),
    path("set-up/teams/add/", set_up.add_team, name="set-up-add-team"),
    path("set-up/programmes/add/", set_up.add_programme, name="set-up-add-programme"),
    path("reassign/<uuid:pk>/", reassign.reassign, name="reassign"),
    path("asb/<uuid:pk>/acknowledge/", tasks.acknowledge, name="asb-acknowledge"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_start, name="referral-start"),
    *(
        path(
            f"referrals/<uuid:pk>/{step.slug}/",
            referrals.step_view(step),
            name=f"referral-{step.slug}",
        )
        for step in referrals.STEPS
    ),
    path("referrals/<uuid:pk>/check/", referrals.referral_check, name="referral-check"),
    path("referrals/<uuid:pk>/sent/", referrals.referral_sent, name="referral-sent"),
    path("referrals/<uuid:pk>/", referrals.referral_detail, name="referral-detail"),
    *imports.urlpatterns,  # until the imports app's shared upload pages land
]
