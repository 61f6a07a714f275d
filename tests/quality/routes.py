"""Every route of the project, from Django's URL resolver, with the app that owns it.

A route belongs to the app whose URLconf module (`localcompact/<app>/urls*.py`) declares
it, whichever module its view lives in (the short sign-in address is core's, though the
view is allauth's). Routes declared by other packages' URLconfs are left out of the
matrix only when `SKIPPED` gives the reason; anything else the resolver finds and no
rule accounts for is reported, so a new include cannot slip past the matrix.
"""

from dataclasses import dataclass
from types import ModuleType

from django.urls import URLPattern, URLResolver, get_resolver

# Left out on purpose, by the first namespace or the URLconf module's package.
SKIPPED = {
    "admin": (
        "Django's admin site: every page goes through AdminSite.admin_view, which lets only "
        "active staff in; test_permission_matrix checks its index for every role."
    ),
    "allauth": (
        "django-allauth's own account pages (sign-up, e-mail addresses, passwords, "
        "two-factor): about the person signed in, never an organisation's; allauth tests "
        "them, and localcompact/accounts/tests test our use of them."
    ),
}

# Apps being built now: until their matrix file exists their routes are expected to
# fail (xfail), so work in progress does not break the build. Remove an app from here
# once its matrix lands; from then on a missing route is a failure.
AWAITING_MATRIX: set[str] = set()


@dataclass(frozen=True)
class Found:
    name: str  # "namespace:name", or the bare name; "<unnamed ...>" when it has none
    pattern: str
    module: str  # the URLconf module that declares it
    app: str | None  # the localcompact app that owns it, or None
    skipped: str | None  # why it is left out, for routes of other packages


def _module_name(urlconf) -> str | None:
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    if isinstance(urlconf, str):
        return urlconf
    return None  # a list of patterns (the admin site): inherits its parent's module


def _classify(namespaces: tuple, module: str) -> tuple[str | None, str | None]:
    if namespaces and namespaces[0] in SKIPPED:
        return None, SKIPPED[namespaces[0]]
    package = module.split(".")[0]
    if package in SKIPPED:
        return None, SKIPPED[package]
    parts = module.split(".")
    if parts[0] == "localcompact" and len(parts) > 2:
        return parts[1], None
    return None, None


def project_routes(resolver: URLResolver | None = None) -> list[Found]:
    found: list[Found] = []

    def walk(node: URLResolver, prefix: str, namespaces: tuple, module: str) -> None:
        for pattern in node.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern,
                    prefix + str(pattern.pattern),
                    namespaces + ((pattern.namespace,) if pattern.namespace else ()),
                    _module_name(pattern.urlconf_name) or module,
                )
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                name = (
                    ":".join((*namespaces, pattern.name)) if pattern.name else f"<unnamed {full}>"
                )
                app, skipped = _classify(namespaces, module)
                found.append(Found(name, full, module, app, skipped))

    root = resolver or get_resolver()
    walk(root, "", (), _module_name(root.urlconf_name) or "")
    return found
