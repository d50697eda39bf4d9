"""The live app: FastAPI, Jinja2 templates, HTMX and server-sent events, serving every screen of a
meeting from its log. A host: it imports no domain at module level; domains contribute forms,
views, panels, feed lines and routes through the hooks and import only :mod:`detente.web.api`.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``api`` — the live app's plugin API: the one module a domain imports;
- ``feed_programme`` — the programme's feed lines (registered by the meeting kernel);
- ``forms`` — one form per request type (listed by `detente plugins`);
- ``forms_programme`` — the runner's own forms (registered by the meeting kernel);
- ``i18n`` — the interface's languages;
- ``views`` — every screen as a pure function of the log and the viewer (listed by `detente
  plugins`).
"""

__all__ = [
    "api",
    "feed_programme",
    "forms",
    "forms_programme",
    "i18n",
    "views",
]
