from django.urls import path

from safehold.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("users/", views.user_list, name="user-list"),
    path("users/<uuid:pk>/active/", views.user_set_active, name="user-set-active"),
]
