"""How the OpenAPI schema describes Safehold's bearer tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safehold.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 (a scheme name)
        )


# The errors every operation can answer with (docs/how-to/use-the-api.md, "Errors"): declared
# in the schema too, so that a client generated from it expects them.
ERRORS = {
    "400": ("Bad input or a bad filter: one list of messages per field", "ValidationError"),
    "401": ("No token, an unknown or revoked token, or a disabled user", "Error"),
    "403": ("The token's role cannot use this operation", "Error"),
    "404": ("No such record for the caller, or a page past the end", "Error"),
}
ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the error responses on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, (description, name) in ERRORS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result
