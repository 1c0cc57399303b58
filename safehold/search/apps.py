from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "safehold.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # The box in every page's header, registered here: core imports no app.
        from safehold.core.registry import HeaderItem, register_header_item
        from safehold.search import rules

        def box(request) -> dict:
            if not rules.can_search(request.user):
                return {}
            # On the results page the box keeps what was searched for.
            match = request.resolver_match
            on_results = match is not None and match.view_name == "search:results"
            return {"q": request.GET.get("q", "") if on_results else ""}

        register_header_item(HeaderItem("search", "search/_header.html", order=10, context=box))
