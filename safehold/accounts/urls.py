from django.urls import path

from safehold.accounts import user_pages, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    # Between the password and the code (half signed in): see views.half_signed_in.
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_set_up, name="two-factor-set-up"),
    path("two-factor/use-recovery-code/", views.two_factor_recovery, name="two-factor-recovery"),
    # Signed in.
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("two-factor/manage/", views.two_factor_manage, name="two-factor-manage"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("users/", views.user_list, name="user-list"),
    path("users/add/", user_pages.user_add, name="user-add"),
    path("users/<uuid:pk>/", user_pages.user_change, name="user-change"),
    path("users/<uuid:pk>/disable/", user_pages.user_disable, name="user-disable"),
    path("users/<uuid:pk>/active/", views.user_set_active, name="user-set-active"),
    path(
        "users/<uuid:pk>/two-factor/reset/",
        views.user_reset_two_factor,
        name="user-reset-two-factor",
    ),
]
