"""The association network: the one graph of a year, per-association metrics and per-area network indicators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from analysis.compute.betweenness import betweenness_centrality
from analysis.errors import ParameterError
from analysis.model import BUURT_CODE_PATTERN
from analysis.params import IndicatorParams

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Indicator keys contributed by :func:`network_indicators`, in output order.
NETWORK_INDICATORS: tuple[str, ...] = (
    "verenigingen_aantal",
    "verenigingen_per_1000_inw",
    "leden_per_1000_inw",
    "netwerk_dichtheid",
    "overbruggende_banden_pct",
    "geisoleerde_verenigingen",
)
#: Network figures of a part of the graph that the whole gemeente graph cannot be compared with: a
#: subgraph of few associations is denser than the whole network (the possible pairs grow with n^2,
#: the ties of an association do not), and no tie leaves the gemeente, so its bridging share is 0 by
#: construction. For these keys the gemeente row carries the median of the wijken (like with like).
WIJK_MEDIAN_KEYS: tuple[str, ...] = ("netwerk_dichtheid", "overbruggende_banden_pct")

#: Columns of :func:`association_metrics`.
METRIC_COLUMNS: tuple[str, ...] = ("id", "graad", "gewogen_graad", "betweenness", "gemeenschap")

#: Columns of :func:`key_connectors`.
CONNECTOR_COLUMNS: tuple[str, ...] = ("id", "naam", "soort", "graad", "betweenness", "gemeenschap")

#: Columns of :func:`bridging_bonding`.
BRIDGING_COLUMNS: tuple[str, ...] = (
    "gebiedscode", "niveau", "jaar", "verenigingen", "banden", "bindend", "overbruggend",
    "overbruggend_pct", "bindend_zelfde_soort", "bindend_ander_soort",
    "overbruggend_zelfde_soort", "overbruggend_ander_soort", "ander_soort_pct",
)

_TIDY_COLUMNS: tuple[str, ...] = ("gebiedscode", "niveau", "jaar", "indicator", "waarde")
_LEVELS: tuple[str, ...] = ("buurt", "wijk", "gemeente")
_NODE_ATTRIBUTES: tuple[str, ...] = ("naam", "soort", "leden", "buurtcode", "wijkcode", "actief")


# --------------------------------------------------------------------------------------
# Cleaning helpers
# --------------------------------------------------------------------------------------

def _check_level(level: str) -> None:
    if level not in _LEVELS:
        raise ParameterError(f"Onbekend niveau '{level}'. Kies buurt, wijk of gemeente.")


def _str_or_na(values: pd.Series) -> pd.Series:
    """Strings with surrounding blanks removed; empty strings become missing."""
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def _clean_associations(associations: pd.DataFrame) -> pd.DataFrame:
    """One row per association id (the row of its latest year), with normalised dtypes.

    Returns a plain DataFrame with ``id, naam, soort, leden, actief, jaar, buurtcode,
    wijkcode`` (missing columns are added empty), sorted by ``id``.
    """
    frame = pd.DataFrame(associations).drop(columns="geometry", errors="ignore")
    out = pd.DataFrame(index=frame.index)
    for column in ("id", "naam", "soort", "buurtcode", "wijkcode"):
        out[column] = _str_or_na(frame[column]) if column in frame.columns else pd.Series(
            pd.NA, index=frame.index, dtype="string")
    out["leden"] = pd.to_numeric(frame["leden"], errors="coerce") if "leden" in frame.columns \
        else np.nan
    if "actief" in frame.columns:
        out["actief"] = frame["actief"].astype("boolean").fillna(False).astype(bool)
    else:
        out["actief"] = True
    out["jaar"] = pd.to_numeric(frame["jaar"], errors="coerce") if "jaar" in frame.columns \
        else np.nan
    out = out[out["id"].notna()]
    out = out.sort_values(["id", "jaar"], kind="stable", na_position="first")
    out = out.drop_duplicates("id", keep="last")
    return out.reset_index(drop=True)


def _active(nodes: pd.DataFrame) -> pd.DataFrame:
    """The active rows of cleaned associations."""
    return nodes[nodes["actief"].to_numpy(bool)].reset_index(drop=True)


def merged_edges(ties: pd.DataFrame, known_ids: pd.Series | np.ndarray | list[str]) -> pd.DataFrame:
    """Merge ties into undirected edges between known associations.

    Parameters
    ----------
    ties : pandas.DataFrame
        Ties with ``van, naar`` (association ids) and optionally ``soort`` and ``gewicht``.
        Filter on ``jaar`` before calling: ties of different years are merged too.
    known_ids : array-like of str
        Association ids that exist; ties with an end outside it are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair with columns ``u, v`` (``u < v``), ``weight`` (sum of
        ``gewicht``, missing counted as 1), ``soorten`` (sorted list of distinct tie kinds)
        and ``banden`` (number of merged tie rows). Self-loops are dropped.
    """
    columns = ["u", "v", "weight", "soorten", "banden"]
    if len(ties) == 0 or not {"van", "naar"} <= set(ties.columns):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype(
            {"u": "string", "v": "string", "weight": float, "banden": int})
    van = _str_or_na(ties["van"])
    naar = _str_or_na(ties["naar"])
    known = pd.Index(pd.Series(known_ids, dtype="string").dropna().unique())
    keep = (van.isin(known) & naar.isin(known) & (van != naar)).fillna(False).to_numpy(bool)
    van, naar = van[keep], naar[keep]
    swap = (van > naar).to_numpy(bool)
    frame = pd.DataFrame({
        "u": van.where(~swap, naar).to_numpy(),
        "v": naar.where(~swap, van).to_numpy(),
        "gewicht": (pd.to_numeric(ties["gewicht"], errors="coerce")[keep].fillna(1.0).to_numpy(float)
                    if "gewicht" in ties.columns else np.ones(int(keep.sum()))),
        "soort": (_str_or_na(ties["soort"])[keep].to_numpy() if "soort" in ties.columns
                  else pd.array([pd.NA] * int(keep.sum()), dtype="string")),
    })
    frame["u"] = frame["u"].astype("string")
    frame["v"] = frame["v"].astype("string")
    grouped = frame.groupby(["u", "v"], sort=True)
    edges = grouped.agg(weight=("gewicht", "sum"), banden=("gewicht", "size"))
    edges = edges.reset_index()
    edges["soorten"] = _sorted_kinds(frame, edges)
    edges["weight"] = edges["weight"].astype(float)
    edges["banden"] = edges["banden"].astype(int)
    return edges[columns]


def _sorted_kinds(frame: pd.DataFrame, edges: pd.DataFrame) -> list[list[str]]:
    """Sorted distinct tie kinds per edge of ``edges`` (sorted by ``u, v``), without a Python groupby."""
    kinds = (frame.dropna(subset=["soort"]).drop_duplicates(["u", "v", "soort"])
             .sort_values(["u", "v", "soort"], kind="stable"))
    result: list[list[str]] = [[] for _ in range(len(edges))]
    if len(kinds) == 0:
        return result
    position = pd.MultiIndex.from_frame(edges[["u", "v"]]).get_indexer(
        pd.MultiIndex.from_frame(kinds[["u", "v"]]))
    values = kinds["soort"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, position[1:] != position[:-1]])
    for pos, chunk in zip(position[starts], np.split(values, starts[1:])):
        result[pos] = [str(kind) for kind in chunk]
    return result


# --------------------------------------------------------------------------------------
# The graph of a year
# --------------------------------------------------------------------------------------

def _add_nodes(graph: nx.Graph, nodes: pd.DataFrame) -> None:
    """Add cleaned associations as nodes (missing values are left out of a node's attributes)."""
    attributes = nodes[list(_NODE_ATTRIBUTES)]
    records = attributes.astype(object).where(attributes.notna(), None).to_dict("records")
    for node_id, record in zip(nodes["id"].tolist(), records):
        data = {str(key): value for key, value in record.items() if value is not None}
        if "leden" in data:
            leden = float(data["leden"])
            data["leden"] = int(leden) if leden.is_integer() else leden
        data["actief"] = bool(data.get("actief", True))
        graph.add_node(str(node_id), **data)


def build_graph(associations: pd.DataFrame, ties: pd.DataFrame, include_inactive: bool = False) -> nx.Graph:
    """Build the undirected network of the active associations.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations with ``id, naam, soort, leden, actief, jaar, buurtcode, wijkcode``.
        Pass one year; when an id occurs more than once, its latest ``jaar`` gives the
        attributes.
    ties : pandas.DataFrame
        Ties with ``van, naar, soort, gewicht``. Pass one year; ties of different
        years between the same pair are merged like parallel ties.
    include_inactive : bool, default False
        Also add the associations that are not active (``actief`` false) as nodes, without
        ties, after all active ones: the active part stays exactly the graph without them.

    Returns
    -------
    networkx.Graph
        One node per active association id (added in sorted order, so results that depend
        on node order are reproducible) with attributes ``naam, soort, leden, buurtcode,
        wijkcode, actief``; missing values are left out of the node's attributes. One edge
        per connected pair of active associations with ``weight`` (sum of ``gewicht``),
        ``soorten`` (sorted list of tie kinds) and ``banden`` (number of tie rows).
        Self-loops, ties to unknown ids and ties to inactive associations are dropped.
    """
    nodes = _clean_associations(associations)
    active = _active(nodes)
    graph = nx.Graph()
    _add_nodes(graph, active)
    edges = merged_edges(ties, active["id"])
    graph.add_edges_from(
        (str(u), str(v), {"weight": float(w), "soorten": list(s), "banden": int(b)})
        for u, v, w, s, b in zip(edges["u"], edges["v"], edges["weight"], edges["soorten"],
                                 edges["banden"])
    )
    if include_inactive:
        _add_nodes(graph, nodes[~nodes["actief"].to_numpy(bool)])
    return graph


def year_graph(ds: Dataset, year: int, include_inactive: bool = False) -> nx.Graph:
    """The association network of one year: the one graph every network figure is computed on.

    The Netwerk page, the GEXF/GraphML export, the wijkprofielen and the per-area indicators
    all use this graph. Associations and ties belong to ``year`` by the one year rule
    (:func:`analysis.model.belongs_to_year`: a row without ``jaar`` belongs to the dataset's
    own year only).

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    year : int
        Measurement year.
    include_inactive : bool, default False
        Also add the year's inactive associations as nodes with ``actief`` false and no ties
        (for exports); every figure uses the graph without them.

    Returns
    -------
    networkx.Graph
        :func:`build_graph` of the year's rows; ``graph.graph`` holds ``jaar`` and
        ``gemeentecode``.
    """
    graph = build_graph(ds.rows_of_year(ds.associations, year), ds.rows_of_year(ds.ties, year),
                        include_inactive)
    graph.graph.update(jaar=int(year), gemeentecode=str(ds.gemeente_code))
    return graph


def active_graph(graph: nx.Graph) -> nx.Graph:
    """The graph without its inactive associations (the graph itself when it has none)."""
    inactive = [node for node, active in graph.nodes(data="actief", default=True) if not active]
    if not inactive:
        return graph
    out = graph.copy()
    out.remove_nodes_from(inactive)
    return out


def network_years(ds: Dataset) -> list[int]:
    """The years with at least one association (by the one year rule), sorted."""
    frame = ds.associations
    if len(frame) == 0:
        return []
    if "jaar" not in frame.columns:
        return [int(ds.year)]
    years = pd.to_numeric(frame["jaar"], errors="coerce").fillna(int(ds.year))
    return sorted({int(y) for y in years})


def inactive_count(ds: Dataset, year: int) -> int:
    """The number of associations of ``year`` that are not active (left out of every figure)."""
    nodes = _clean_associations(ds.rows_of_year(ds.associations, year))
    return int((~nodes["actief"].to_numpy(bool)).sum())


# --------------------------------------------------------------------------------------
# Association metrics
# --------------------------------------------------------------------------------------

def _communities(graph: nx.Graph, seed: int) -> dict:
    """Louvain community per node, numbered 1..k by descending size (ties: smallest id)."""
    if graph.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    lookup = {str(node): node for node in graph}
    return {lookup[member]: number for number, members in enumerate(ordered, start=1)
            for member in members}


def association_metrics(graph: nx.Graph, params: IndicatorParams | None = None) -> pd.DataFrame:
    """Degree, weighted degree, betweenness and community of every association.

    Parameters
    ----------
    graph : networkx.Graph
        The network from :func:`build_graph` (the graph without inactive associations).
    params : IndicatorParams, optional
        ``seed`` of the Louvain communities and of the betweenness sample; exact betweenness up
        to ``betweenness_exact_limit`` nodes, above it ``betweenness_sample_k`` seeded source
        nodes (Brandes and Pich 2007, as networkx samples). Default :class:`IndicatorParams()`.

    Returns
    -------
    pandas.DataFrame
        ``id, graad, gewogen_graad, betweenness, gemeenschap``, one row per node in
        graph order. ``betweenness`` is normalised (0-1, unweighted shortest paths:
        ``weight`` is a tie strength, not a distance) and equals
        ``networkx.betweenness_centrality`` (with ``k`` and ``seed`` when sampling).
        ``gemeenschap`` is the Louvain community (Blondel et al. 2008; weighted, fixed seed)
        numbered 1..k by descending size. ``attrs["betweenness_methode"]`` is ``"exact"`` or
        ``"steekproef (k=..., seed=...)"``.
    """
    params = params or IndicatorParams()
    seed = int(params.seed)
    nodes = list(graph)
    n = len(nodes)
    if n > int(params.betweenness_exact_limit) and int(params.betweenness_sample_k) < n:
        k: int | None = max(int(params.betweenness_sample_k), 2)  # one source leaves its own score undefined
        method = f"steekproef (k={k}, seed={seed})"
    else:
        k = None
        method = "exact"
    betweenness = betweenness_centrality(graph, k, seed)
    community = _communities(graph, seed)
    frame = pd.DataFrame({
        "id": pd.array([str(node) for node in nodes], dtype="string"),
        "graad": np.array([d for _, d in graph.degree()], dtype=np.int64),
        "gewogen_graad": np.array([d for _, d in graph.degree(weight="weight")], dtype=float),
        "betweenness": np.array([betweenness[node] for node in nodes], dtype=float),
        "gemeenschap": np.array([community[node] for node in nodes], dtype=np.int64),
    })
    frame.attrs["betweenness_methode"] = method
    return frame


def _empty_metrics() -> pd.DataFrame:
    frame = pd.DataFrame({
        "id": pd.Series(dtype="string"), "graad": pd.Series(dtype=np.int64),
        "gewogen_graad": pd.Series(dtype=float), "betweenness": pd.Series(dtype=float),
        "gemeenschap": pd.Series(dtype=np.int64),
    })
    frame.attrs["betweenness_methode"] = "exact"
    return frame


def year_network(ds: Dataset, year: int, params: IndicatorParams | None = None,
                 include_inactive: bool = False) -> tuple[nx.Graph, pd.DataFrame]:
    """The graph of one year (:func:`year_graph`) and the metrics of its active associations.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The dataset.
    year : int
        Measurement year.
    params : IndicatorParams, optional
        ``seed`` (Louvain and betweenness sample), ``betweenness_exact_limit`` and
        ``betweenness_sample_k``; default :class:`IndicatorParams()`.
    include_inactive : bool, default False
        Return the graph with the inactive associations as extra nodes (see :func:`year_graph`);
        the metrics are always those of the graph without them, so they have no metrics row.

    Returns
    -------
    (networkx.Graph, pandas.DataFrame)
        The graph and :func:`association_metrics` (empty with :data:`METRIC_COLUMNS` when
        the year has no active association).
    """
    graph = year_graph(ds, year, include_inactive)
    active = active_graph(graph)
    if active.number_of_nodes() == 0:
        return graph, _empty_metrics()
    return graph, association_metrics(active, params)


# --------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------

def association_area_codes(associations: pd.DataFrame, level: str,
                           gemeente_code: str | None = None) -> pd.Series:
    """The area code of every association at one level.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations with ``buurtcode`` and ``wijkcode``.
    level : {"buurt", "wijk", "gemeente"}
        ``buurt`` uses ``buurtcode``, ``wijk`` uses ``wijkcode``; an association belongs to
        the gemeente when it has a ``buurtcode``.
    gemeente_code : str, optional
        Code of the gemeente. Without it the GM code is derived from the CBS buurtcode
        (``BU01930101`` -> ``GM0193``).

    Returns
    -------
    pandas.Series
        String codes aligned with ``associations`` (missing when the association lies in
        no area of that level).
    """
    _check_level(level)
    empty = pd.Series(pd.NA, index=associations.index, dtype="string")
    buurt = _str_or_na(associations["buurtcode"]) if "buurtcode" in associations.columns else empty
    if level == "buurt":
        return buurt
    if level == "wijk":
        return _str_or_na(associations["wijkcode"]) if "wijkcode" in associations.columns else empty
    if gemeente_code is not None:
        return pd.Series(str(gemeente_code), index=associations.index, dtype="string").where(
            buurt.notna())
    derived = "GM" + buurt.str.slice(2, 6)
    return derived.where(buurt.str.fullmatch(BUURT_CODE_PATTERN).fillna(False))



def graph_tables(graph: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The active associations of a graph and the edges between them, as frames.

    Parameters
    ----------
    graph : networkx.Graph
        A graph of :func:`build_graph` or :func:`year_graph`.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Nodes with ``id`` and :data:`_NODE_ATTRIBUTES` (strings, ``leden`` float, missing
        values missing) in graph order, and edges with ``u, v, weight, banden``.
    """
    records = [(str(node), data) for node, data in graph.nodes(data=True) if data.get("actief", True)]
    nodes = pd.DataFrame([data for _, data in records], columns=list(_NODE_ATTRIBUTES),
                         index=range(len(records)))
    nodes.insert(0, "id", pd.Series([node for node, _ in records], index=nodes.index, dtype="string"))
    for column in ("naam", "soort", "buurtcode", "wijkcode"):
        nodes[column] = _str_or_na(nodes[column])
    nodes["leden"] = pd.to_numeric(nodes["leden"], errors="coerce").astype(float)
    nodes["actief"] = True
    known = set(nodes["id"].tolist())
    rows = [(str(u), str(v), float(d.get("weight", 1.0)), int(d.get("banden", 1)))
            for u, v, d in graph.edges(data=True) if str(u) in known and str(v) in known]
    edges = pd.DataFrame(rows, columns=["u", "v", "weight", "banden"]).astype(
        {"u": "string", "v": "string", "weight": float, "banden": np.int64})
    return nodes, edges


def _edge_area_table(nodes: pd.DataFrame, edges: pd.DataFrame, level: str,
                     gemeente_code: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes with their area ``code`` and edges with the area codes and kinds of both ends."""
    nodes = nodes.copy()
    nodes["code"] = association_area_codes(nodes, level, gemeente_code).fillna("")
    edges = edges.copy()
    code = pd.Series(nodes["code"].to_numpy(), index=pd.Index(nodes["id"].to_numpy()))
    kind = pd.Series(nodes["soort"].to_numpy(), index=pd.Index(nodes["id"].to_numpy()))
    edges["code_u"] = edges["u"].map(code).fillna("").to_numpy()
    edges["code_v"] = edges["v"].map(code).fillna("").to_numpy()
    kind_u = edges["u"].map(kind)
    kind_v = edges["v"].map(kind)
    both = (kind_u.notna() & kind_v.notna()).to_numpy(bool)
    edges["zelfde_soort"] = both & (kind_u == kind_v).fillna(False).to_numpy(bool)
    edges["ander_soort"] = both & (kind_u != kind_v).fillna(False).to_numpy(bool)
    return nodes, edges


def _tie_counts(edges: pd.DataFrame) -> pd.DataFrame:
    """Per area code: bonding and bridging edge counts, split by same/different soort."""
    inside = (edges["code_u"] == edges["code_v"]) & (edges["code_u"] != "")
    bonding = edges[inside].assign(code=edges.loc[inside, "code_u"])
    across = edges["code_u"] != edges["code_v"]
    ends = pd.concat([
        edges[across & (edges["code_u"] != "")].assign(code=lambda f: f["code_u"]),
        edges[across & (edges["code_v"] != "")].assign(code=lambda f: f["code_v"]),
    ])
    counts = pd.DataFrame({
        "bindend": bonding.groupby("code").size(),
        "bindend_zelfde_soort": bonding.groupby("code")["zelfde_soort"].sum(),
        "bindend_ander_soort": bonding.groupby("code")["ander_soort"].sum(),
        "overbruggend": ends.groupby("code").size(),
        "overbruggend_zelfde_soort": ends.groupby("code")["zelfde_soort"].sum(),
        "overbruggend_ander_soort": ends.groupby("code")["ander_soort"].sum(),
    })
    return counts.fillna(0).astype(np.int64)



def _per_1000(count: pd.Series, inwoners: pd.Series, min_inhabitants: int) -> pd.Series:
    """``count`` per 1,000 inhabitants; NaN without inhabitants or below ``min_inhabitants``."""
    valid = inwoners.notna() & (inwoners > 0) & (inwoners >= min_inhabitants)
    return (count.astype(float) / inwoners.where(valid) * 1000.0).astype(float)


def _area_index(areas: gpd.GeoDataFrame) -> tuple[pd.Index, pd.Series]:
    """The distinct area codes and the inhabitants per code."""
    codes = _str_or_na(pd.Series(areas["gebiedscode"]))
    area_index = pd.Index(codes.dropna().unique(), dtype="string")
    inwoners = pd.to_numeric(pd.Series(areas["inwoners"].to_numpy(), index=pd.Index(codes)),
                             errors="coerce")
    return area_index, inwoners[~inwoners.index.duplicated()].reindex(area_index)


def area_network_table(graph: nx.Graph, areas: gpd.GeoDataFrame, level: str, year: int,
                       min_inhabitants: int = 0) -> pd.DataFrame:
    """Network indicators for every area of one level, in tidy form.

    Only the active associations of the graph take part (a graph of :func:`year_graph`
    has no ties to inactive ones), so that every figure describes the same set of
    associations as ``verenigingen_aantal``.

    Parameters
    ----------
    graph : networkx.Graph
        The year's graph (:func:`year_graph`).
    areas : geopandas.GeoDataFrame
        Areas of ``level`` with ``gebiedscode`` and ``inwoners``.
    level : {"buurt", "wijk", "gemeente"}
        Area level.
    year : int
        Measurement year (the ``jaar`` of the rows).
    min_inhabitants : int, default 0
        Rates per 1,000 inhabitants are NaN for an area with fewer inhabitants
        (:attr:`IndicatorParams.min_inhabitants_publish`: the CBS publishes no figures of
        buurten under 50 inhabitants).

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, jaar, indicator, waarde``, one row per area and indicator of
        :data:`NETWORK_INDICATORS`:

        - ``verenigingen_aantal``: active associations in the area;
        - ``verenigingen_per_1000_inw``, ``leden_per_1000_inw``: per 1,000 inhabitants
          (NaN when ``inwoners`` is missing, 0 or below ``min_inhabitants``; ``leden`` sums
          the known member counts of the active associations, NaN when none is known);
        - ``netwerk_dichtheid``: connected pairs inside the area / (n(n-1)/2) with n the
          area's active associations (NaN when n < 2);
        - ``overbruggende_banden_pct``: % of the connected pairs touching the area that
          have exactly one end in it (the other end elsewhere or in no area; NaN when no
          pair touches the area);
        - ``geisoleerde_verenigingen``: active associations in the area without any tie.

        For ``gemeente`` the keys of :data:`WIJK_MEDIAN_KEYS` are left out: the whole graph
        is not comparable with a wijk (:func:`network_indicators` gives the median of the wijken).
    """
    _check_level(level)
    area_index, inwoners = _area_index(areas)
    gemeente_code = str(area_index[0]) if level == "gemeente" and len(area_index) == 1 else None
    nodes, edges = _edge_area_table(*graph_tables(graph), level, gemeente_code)
    counts = _tie_counts(edges).reindex(area_index, fill_value=0)

    connected = pd.Index(pd.concat([edges["u"], edges["v"]]).unique())
    nodes["isolated"] = ~nodes["id"].isin(connected).to_numpy(bool)
    n_active = nodes.groupby("code").size().reindex(area_index, fill_value=0)
    leden = nodes.groupby("code")["leden"].sum(min_count=1).reindex(area_index)
    leden = leden.where(n_active > 0, 0.0)
    isolated = nodes.groupby("code")["isolated"].sum().reindex(area_index, fill_value=0)

    pairs = n_active * (n_active - 1) / 2.0
    touching = counts["bindend"] + counts["overbruggend"]
    values = pd.DataFrame({
        "verenigingen_aantal": n_active.astype(float),
        "verenigingen_per_1000_inw": _per_1000(n_active, inwoners, min_inhabitants),
        "leden_per_1000_inw": _per_1000(leden, inwoners, min_inhabitants),
        "netwerk_dichtheid": (counts["bindend"] / pairs.where(n_active >= 2)).astype(float),
        "overbruggende_banden_pct": (100.0 * counts["overbruggend"]
                                     / touching.where(touching > 0)).astype(float),
        "geisoleerde_verenigingen": isolated.astype(float),
    }, index=area_index)
    if level == "gemeente":
        values = values.drop(columns=list(WIJK_MEDIAN_KEYS))
    return _tidy(values, level, year)


def _tidy(values: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    tidy = (values.rename_axis("gebiedscode").reset_index()
            .melt(id_vars="gebiedscode", var_name="indicator", value_name="waarde"))
    tidy["niveau"] = level
    tidy["jaar"] = int(year)
    tidy["gebiedscode"] = tidy["gebiedscode"].astype("string")
    tidy["indicator"] = tidy["indicator"].astype("string")
    tidy["waarde"] = tidy["waarde"].astype(float)
    return tidy[list(_TIDY_COLUMNS)].reset_index(drop=True)


def _empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({
        "gebiedscode": pd.Series(dtype="string"), "niveau": pd.Series(dtype="string"),
        "jaar": pd.Series(dtype=np.int64), "indicator": pd.Series(dtype="string"),
        "waarde": pd.Series(dtype=float),
    })


def wijk_medians(wijk_rows: pd.DataFrame, gemeente_code: str, year: int) -> pd.DataFrame:
    """Gemeente rows holding the median of the wijken for :data:`WIJK_MEDIAN_KEYS`.

    Parameters
    ----------
    wijk_rows : pandas.DataFrame
        Tidy wijk rows of :func:`area_network_table`.
    gemeente_code : str
        Code of the gemeente row.
    year : int
        Year of the rows.

    Returns
    -------
    pandas.DataFrame
        One tidy row per key; NaN when no wijk has the figure.
    """
    keys = list(WIJK_MEDIAN_KEYS)
    rows = wijk_rows[wijk_rows["indicator"].isin(keys)]
    median = rows.groupby("indicator")["waarde"].median().reindex(keys)
    values = pd.DataFrame([median.to_numpy(float)], columns=keys,
                          index=pd.Index([str(gemeente_code)], dtype="string"))
    return _tidy(values, "gemeente", year)


def network_indicators(ds: Dataset, years: Iterable[int] | None = None,
                       params: IndicatorParams | None = None) -> pd.DataFrame:
    """Network indicators for buurten, wijken and the gemeente in every year with associations.

    Every year's figures are computed on :func:`year_graph` (the graph the Netwerk page and the
    exports show). The gemeente row of :data:`WIJK_MEDIAN_KEYS` is the median of the wijken,
    so that a wijk is compared with other wijken and not with the whole network.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The loaded dataset.
    years : iterable of int, optional
        Years to compute; years without any association are skipped (their counts would
        read as zero). Default: every year of ``ds.years()`` with associations.
    params : IndicatorParams, optional
        ``min_inhabitants_publish``: no rate per 1,000 inhabitants for a smaller area (the
        comparison minimum ``min_inhabitants`` is applied where areas are compared: profiles,
        priorities, indexes). Default :class:`IndicatorParams()`.

    Returns
    -------
    pandas.DataFrame
        Concatenated :func:`area_network_table` rows (``gebiedscode, niveau, jaar,
        indicator, waarde``) plus the gemeente's wijk medians.
    """
    params = params or IndicatorParams()
    minimum = int(params.min_inhabitants_publish)
    wanted = ds.years() if years is None else years
    parts = []
    for year in sorted({int(y) for y in wanted} & set(network_years(ds))):
        graph = year_graph(ds, year)
        tables = {level: area_network_table(graph, ds.areas(level), level, year, minimum)
                  for level in _LEVELS if len(ds.areas(level))}
        parts += list(tables.values())
        if "gemeente" in tables and len(tables["gemeente"]):
            gemeente_code = str(tables["gemeente"]["gebiedscode"].iloc[0])
            wijk_rows = tables.get("wijk", _empty_tidy())
            parts.append(wijk_medians(wijk_rows, gemeente_code, year))
    parts = [part for part in parts if len(part)]
    if not parts:
        return _empty_tidy()
    return pd.concat(parts, ignore_index=True)


def key_connectors(associations: pd.DataFrame, metrics: pd.DataFrame, level: str, code: str,
                   top: int = 5) -> pd.DataFrame:
    """The active associations of one area that connect most, by betweenness.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations (pass the year the metrics were computed for).
    metrics : pandas.DataFrame
        Output of :func:`association_metrics`.
    level : {"buurt", "wijk", "gemeente"}
        Area level.
    code : str
        The area's ``gebiedscode`` (for ``gemeente``: every association with a buurtcode).
    top : int, default 5
        Number of rows.

    Returns
    -------
    pandas.DataFrame
        ``id, naam, soort, graad, betweenness, gemeenschap``, sorted by betweenness
        (descending), then degree (descending), then name.
    """
    nodes = _active(_clean_associations(associations))
    area = association_area_codes(nodes, level, str(code) if level == "gemeente" else None)
    nodes = nodes[(area == str(code)).fillna(False).to_numpy(bool)]
    table = pd.DataFrame(metrics).copy()
    table["id"] = table["id"].astype("string")
    merged = nodes[["id", "naam", "soort"]].merge(
        table[["id", "graad", "betweenness", "gemeenschap"]], on="id", how="inner")
    merged = merged.sort_values(["betweenness", "graad", "naam", "id"],
                                ascending=[False, False, True, True], kind="stable",
                                na_position="last")
    return merged.head(int(top))[list(CONNECTOR_COLUMNS)].reset_index(drop=True)



def bridging_bonding(graph: nx.Graph, level: str = "wijk") -> pd.DataFrame:
    """Bonding and bridging ties per area, also split by the kinds of associations they join.

    Parameters
    ----------
    graph : networkx.Graph
        The year's graph (:func:`year_graph`; its ``graph.graph["jaar"]`` gives ``jaar``).
    level : {"buurt", "wijk", "gemeente"}, default "wijk"
        Area level (for ``gemeente``: ``graph.graph["gemeentecode"]``, else the GM code
        derived from the buurtcode).

    Returns
    -------
    pandas.DataFrame
        One row per area with active associations (sorted by code), columns
        :data:`BRIDGING_COLUMNS`; ``verenigingen`` counts them. As in
        :func:`area_network_table`, only ties between active associations count, merged per
        pair as in :func:`build_graph`.
        ``bindend``: both ends in the area; ``overbruggend``: exactly one end in it;
        ``banden`` = the two together. The ``*_zelfde_soort`` / ``*_ander_soort`` columns
        split them by whether both associations have the same ``soort`` (ties with an
        association of unknown soort are in neither). ``overbruggend_pct`` = overbruggend /
        banden and ``ander_soort_pct`` = ander / (zelfde + ander), in %, NaN without ties.
    """
    _check_level(level)
    gemeente_code = graph.graph.get("gemeentecode") if level == "gemeente" else None
    nodes, edges = _edge_area_table(*graph_tables(graph), level, gemeente_code)
    nodes = nodes[nodes["code"] != ""]
    area_index = pd.Index(sorted(nodes["code"].unique()), dtype="string")
    table = _tie_counts(edges).reindex(area_index, fill_value=0)
    table.insert(0, "verenigingen", nodes.groupby("code").size().reindex(area_index, fill_value=0))
    table.insert(1, "banden", table["bindend"] + table["overbruggend"])
    table["overbruggend_pct"] = (100.0 * table["overbruggend"]
                                 / table["banden"].where(table["banden"] > 0)).astype(float)
    known = (table["bindend_zelfde_soort"] + table["bindend_ander_soort"]
             + table["overbruggend_zelfde_soort"] + table["overbruggend_ander_soort"])
    table["ander_soort_pct"] = (100.0 * (table["bindend_ander_soort"] + table["overbruggend_ander_soort"])
                                / known.where(known > 0)).astype(float)
    table = table.rename_axis("gebiedscode").reset_index()
    table["niveau"] = level
    year = graph.graph.get("jaar")
    table["jaar"] = pd.array([year] * len(table), dtype="Int64")
    return table[list(BRIDGING_COLUMNS)]
