"""`{% csp_nonce %}`: the nonce that lets an inline <script> or <style> run under the response's
Content-Security-Policy (safehold/core/middleware.py)."""

from django import template

from safehold.core.middleware import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    return current_nonce.get()
