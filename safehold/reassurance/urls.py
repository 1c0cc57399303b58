"""Reassurance pages, under /reassurance/."""

from django.urls import path

from safehold.reassurance import views

app_name = "reassurance"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.choose, name="choose"),
    path("plan/<uuid:pk>/", views.plan, name="plan"),
    path("batches/<uuid:pk>/", views.batch_detail, name="batch"),
    path("batches/<uuid:pk>/letters.pdf", views.letters_pdf, name="letters"),
    path("batches/<uuid:pk>/walking-list/", views.walking_list, name="walking-list"),
    path("addresses/<uuid:pk>/visit/", views.visit_add, name="visit-add"),
    path("visits/<uuid:pk>/", views.visit_detail, name="visit"),
    path("letters/", views.template_list, name="templates"),
    path("letters/add/", views.template_add, name="template-add"),
    path("letters/<uuid:pk>/", views.template_detail, name="template"),
    path("letters/<uuid:pk>/change/", views.template_edit, name="template-edit"),
    path("property-lists/", views.property_lists, name="property-lists"),
    path("property-lists/import/", views.property_import, name="property-import"),
    path("property-lists/import/<uuid:pk>/", views.property_import_run, name="property-import-run"),
]
