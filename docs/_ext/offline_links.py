"""Link references to other projects' objects without downloading inventories.

Intersphinx resolves ``:class:`sklearn.pipeline.Pipeline``` from each project's
``objects.inv``, which is on the web, and no installed package ships one. These
projects name their API pages after the objects' import paths, so the address
can be built from the path instead, once the installed package confirms that the
object exists there. A reference to an object that does not exist is a warning,
which ``-W`` turns into a failed build.
"""

import importlib
import sys

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

SKLEARN = "https://scikit-learn.org/stable"
NUMPY = "https://numpy.org/doc/stable/reference/generated"
GENSIM = "https://radimrehurek.com/gensim"
JOBLIB = "https://joblib.readthedocs.io/en/stable"
PYTHON = "https://docs.python.org/3/library"


def _sklearn_url(target, module, names, obj):
    if not names:
        return f"{SKLEARN}/api/{module}.html"
    # one page per public class or function; methods are anchors on it
    page = f"{SKLEARN}/modules/generated/{module}.{names[0]}.html"
    return page if len(names) == 1 else f"{page}#{target}"


def _numpy_url(target, module, names, obj):
    return f"{NUMPY}/{target}.html" if names else None


def _gensim_url(target, module, names, obj):
    # one page per module where the object is defined, not where it is re-exported
    defined_in = obj.__name__ if not names else _defining_module(module, names)
    page = f"{GENSIM}/{defined_in.removeprefix('gensim.').replace('.', '/')}.html"
    return page if not names else f"{page}#{defined_in}.{'.'.join(names)}"


def _joblib_url(target, module, names, obj):
    return f"{JOBLIB}/generated/{target}.html" if names else f"{JOBLIB}/"


def _python_url(target, module, names, obj):
    page = f"{PYTHON}/{module}.html"
    return page if not names else f"{page}#{target}"


_URLS = {
    "sklearn": _sklearn_url,
    "numpy": _numpy_url,
    "gensim": _gensim_url,
    "joblib": _joblib_url,
}


def _defining_module(module, names):
    first = getattr(importlib.import_module(module), names[0])
    return getattr(first, "__module__", None) or module


def _import(target):
    """``(module name, attribute names, object)`` for a dotted path, or None."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        names = parts[split:]
        try:
            for name in names:
                obj = getattr(obj, name)
        except AttributeError:
            return None
        return module_name, names, obj
    return None


def _url(target):
    package = target.partition(".")[0]
    if package in _URLS:
        url_of = _URLS[package]
    elif package in sys.stdlib_module_names:
        url_of = _python_url
    else:
        return None
    found = _import(target)
    if found is None or any(part.startswith("_") for part in target.split(".")):
        logger.warning(
            "%s is not a public object of the installed %s: no link", target, package
        )
        return None
    return url_of(target, *found)


def _public_skfeat_name(app, env, node, contnode):
    """Resolve ``skfeat.image.CNNClassifier`` to its documented public name."""
    import skfeat

    found = _import(node["reftarget"])
    name = getattr(found[2], "__name__", None) if found else None
    if name is None or getattr(skfeat, name, None) is not found[2]:
        return None
    return env.get_domain("py").resolve_xref(
        env,
        node["refdoc"],
        app.builder,
        node["reftype"],
        f"skfeat.{name}",
        node,
        contnode,
    )


def resolve(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if target.startswith("skfeat."):
        return _public_skfeat_name(app, env, node, contnode)
    url = _url(target)
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    reference.append(contnode)
    return reference


def setup(app):
    # after intersphinx, which resolves first when it is on (online builds)
    app.connect("missing-reference", resolve, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
