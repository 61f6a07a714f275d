"""The open data's rows of the permission matrix (tests/quality/test_permission_matrix.py).

Everything here is public and read-only: the index, each dataset's fields page, the
downloads (CSV and JSON, for all compacts or one), a compact's calendar and the Atom
feeds are the same for every person, signed in or not. An unknown compact in a filter is
bad input (400, saying so); an unknown dataset, feed, format or compact in the address
does not exist (404). Nothing accepts a POST.
"""

from tests.quality.matrix import INVALID, NOT_ALLOWED, NOT_FOUND, OK, Route, everyone


def _download(dataset, fmt):
    return lambda w: {"dataset": dataset, "fmt": fmt}


MATRIX = {
    "opendata:index": [
        Route(everyone(OK)),
        Route(everyone(NOT_ALLOWED), method="post", state="a POST"),
    ],
    "opendata:fields": [
        Route(everyone(OK), kwargs=lambda w: {"dataset": "consultations"}),
        Route(everyone(OK), kwargs=lambda w: {"dataset": "register"}, state="another app's"),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"dataset": "nothing"}, state="unknown"),
    ],
    "opendata:download": [
        *(
            Route(everyone(OK), kwargs=_download(dataset, fmt), state=f"{dataset}.{fmt}")
            for dataset in ("consultations", "meetings", "compliance", "findings")
            for fmt in ("csv", "json")
        ),
        Route(
            everyone(OK),
            kwargs=_download("findings", "json"),
            query="compact=leicester",
            state="one compact",
        ),
        Route(
            everyone(INVALID),
            kwargs=_download("meetings", "csv"),
            query="compact=nowhere",
            state="no such compact",
        ),
        Route(everyone(NOT_FOUND), kwargs=_download("secrets", "csv"), state="no such dataset"),
        Route(
            everyone(NOT_ALLOWED),
            kwargs=_download("consultations", "csv"),
            method="post",
            state="a POST",
        ),
    ],
    "opendata:calendar": [
        Route(everyone(OK), kwargs=lambda w: {"slug": "leicester"}),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such compact"),
    ],
    "opendata:feed": [
        *(
            Route(everyone(OK), kwargs=lambda w, k=kind: {"kind": k}, state=kind)
            for kind in ("consultations", "outcomes", "findings")
        ),
        Route(
            everyone(OK),
            kwargs=lambda w: {"kind": "outcomes"},
            query="compact=leicester",
            state="one compact",
        ),
        Route(
            everyone(INVALID),
            kwargs=lambda w: {"kind": "findings"},
            query="compact=nowhere",
            state="no such compact",
        ),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"kind": "gossip"}, state="no such feed"),
    ],
}
