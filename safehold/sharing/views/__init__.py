"""Information sharing pages, under /sharing/. Each views module lists its own urlpatterns."""
