"""The association network: graph, per-association metrics and per-area network indicators."""

from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

if TYPE_CHECKING:  # pragma: no cover
    from analysis.model import Dataset

#: Indicator keys contributed by :func:`area_network_table`, in output order.
NETWORK_INDICATORS: tuple[str, ...] = (
    "verenigingen_aantal",
    "verenigingen_per_1000_inw",
    "leden_per_1000_inw",
    "netwerk_dichtheid",
    "overbruggende_banden_pct",
    "geisoleerde_verenigingen",
)

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
#: Upper bound on the cells of one dense (nodes x sources) block in the batched Brandes pass.
_BLOCK_CELLS = 1_000_000
#: Threads for the block method (scipy and numpy release the GIL; the target machine has 2 cores).
_MAX_WORKERS = 2
#: Relative cost of one networkx node/edge visit against one numpy cell operation per level
#: (measured on 2 cores: about 4e-7..1.5e-6 s against 3e-10..1.2e-9 s).
_PYTHON_COST_FACTOR = 1500.0


# --------------------------------------------------------------------------------------
# Cleaning helpers
# --------------------------------------------------------------------------------------

def _check_level(level: str) -> None:
    if level not in _LEVELS:
        raise ValueError(f"Onbekend niveau '{level}'. Kies buurt, wijk of gemeente.")


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


def _year_associations(associations: pd.DataFrame, year: int) -> pd.DataFrame:
    """The cleaned associations whose ``jaar`` equals ``year``."""
    jaar = pd.to_numeric(pd.DataFrame(associations)["jaar"], errors="coerce") \
        if "jaar" in associations.columns else pd.Series(np.nan, index=associations.index)
    return _clean_associations(associations[(jaar == year).to_numpy()])


def _active(nodes: pd.DataFrame) -> pd.DataFrame:
    """The active rows of cleaned associations."""
    return nodes[nodes["actief"].to_numpy(bool)].reset_index(drop=True)


def _year_ties(ties: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Ties of one year (all ties when ``year`` is None)."""
    if year is None or "jaar" not in ties.columns:
        return ties
    jaar = pd.to_numeric(ties["jaar"], errors="coerce")
    return ties[(jaar == year).to_numpy()]


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
# Graph and association metrics
# --------------------------------------------------------------------------------------

def build_graph(associations: pd.DataFrame, ties: pd.DataFrame) -> nx.Graph:
    """Build the undirected association network.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations with ``id, naam, soort, leden, actief, jaar, buurtcode, wijkcode``.
        Pass one year; when an id occurs more than once, its latest ``jaar`` gives the
        attributes.
    ties : pandas.DataFrame
        Ties with ``van, naar, soort, gewicht``. Pass one year; ties of different
        years between the same pair are merged like parallel ties.

    Returns
    -------
    networkx.Graph
        One node per association id (added in sorted order, so results that depend on
        node order are reproducible) with attributes ``naam, soort, leden, buurtcode,
        wijkcode, actief``; missing values are left out of the node's attributes.
        One edge per connected pair with ``weight`` (sum of ``gewicht``), ``soorten``
        (sorted list of tie kinds) and ``banden`` (number of tie rows). Self-loops and
        ties to unknown ids are dropped.
    """
    nodes = _clean_associations(associations)
    graph = nx.Graph()
    attributes = nodes[["naam", "soort", "leden", "buurtcode", "wijkcode", "actief"]]
    records = attributes.astype(object).where(attributes.notna(), None).to_dict("records")
    for node_id, record in zip(nodes["id"].tolist(), records):
        data = {key: value for key, value in record.items() if value is not None}
        if "leden" in data:
            leden = float(data["leden"])
            data["leden"] = int(leden) if leden.is_integer() else leden
        if "actief" in data:
            data["actief"] = bool(data["actief"])
        graph.add_node(str(node_id), **data)
    edges = merged_edges(ties, nodes["id"])
    graph.add_edges_from(
        (str(u), str(v), {"weight": float(w), "soorten": list(s), "banden": int(b)})
        for u, v, w, s, b in zip(edges["u"], edges["v"], edges["weight"], edges["soorten"],
                                 edges["banden"])
    )
    return graph


def _brandes_block(adjacency: sp.csr_array, src: np.ndarray) -> np.ndarray:
    """Raw Brandes dependencies summed over one block of sources (see :func:`_brandes_dense`)."""
    n, width = adjacency.shape[0], len(src)
    cols = np.arange(width)
    sigma = np.zeros((n, width))
    sigma[src, cols] = 1.0
    level = np.full((n, width), -1, dtype=np.int32)
    level[src, cols] = 0
    frontier = sigma.copy()
    depth = 0
    while True:
        reached = adjacency @ frontier
        np.multiply(reached, level < 0, out=reached)
        new = reached > 0.0
        if not new.any():
            break
        depth += 1
        level[new] = depth
        sigma += reached
        frontier = reached
    delta = np.zeros((n, width))
    share = np.zeros((n, width))
    for d in range(depth, 0, -1):
        share.fill(0.0)
        np.divide(1.0 + delta, sigma, out=share, where=level == d)
        pulled = adjacency @ share
        pulled *= sigma
        np.multiply(pulled, level == d - 1, out=pulled)
        delta += pulled
    delta[src, cols] = 0.0
    return delta.sum(axis=1)


def _brandes_dense(adjacency: sp.csr_array, sources: np.ndarray) -> np.ndarray:
    """Raw Brandes dependencies summed over ``sources`` (unweighted, endpoints excluded).

    Processes blocks of sources at once: each breadth-first level is one sparse-dense
    product over a (nodes x sources) block, so the work is done in compiled code that
    releases the GIL (blocks run on a small thread pool). Fast on small-world graphs;
    the number of levels (the diameter) drives the cost.
    """
    n = adjacency.shape[0]
    block = max(1, min(len(sources), _BLOCK_CELLS // max(n, 1)))
    blocks = [sources[start:start + block] for start in range(0, len(sources), block)]
    workers = max(1, min(_MAX_WORKERS, os.cpu_count() or 1, len(blocks)))
    if workers == 1:
        parts = [_brandes_block(adjacency, src) for src in blocks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(lambda src: _brandes_block(adjacency, src), blocks))
    return np.sum(parts, axis=0) if parts else np.zeros(n)


def _level_estimate(adjacency: sp.csr_array) -> int:
    """Eccentricity of one node per component (max): between half the diameter and the diameter."""
    n = adjacency.shape[0]
    _, labels = csgraph.connected_components(adjacency, directed=False)
    _, first = np.unique(labels, return_index=True)
    hub = sp.coo_array((np.ones(len(first)), (first, np.full(len(first), n))), shape=(n + 1, n + 1))
    extended = sp.block_array([[adjacency, None], [None, sp.csr_array((1, 1))]], format="csr")
    extended = (extended + hub + hub.T).tocsr()
    distance = csgraph.shortest_path(extended, directed=False, unweighted=True, indices=n)
    finite = distance[np.isfinite(distance)]
    return int(max(finite.max() - 1, 0)) if len(finite) else 0


def _betweenness(graph: nx.Graph, k: int | None, seed: int) -> dict:
    """Normalised betweenness, equal to ``nx.betweenness_centrality(graph, k, seed=seed)``.

    Unweighted shortest paths, endpoints excluded. ``k`` None means exact; otherwise
    ``k`` source nodes are drawn exactly as networkx draws them and the estimate is
    rescaled as networkx does. Small-world graphs go through the compiled block method
    (:func:`_brandes_dense`); long, thin graphs (chains) through networkx itself.
    """
    nodes = list(graph)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    if n <= 2 or graph.number_of_edges() == 0:
        return dict.fromkeys(nodes, 0.0)
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data[:] = 1.0
    levels = max(_level_estimate(adjacency), 1)
    dense_cost = 2.0 * levels * (12.0 * n + 2.0 * adjacency.nnz)
    python_cost = _PYTHON_COST_FACTOR * (n + adjacency.nnz)
    if dense_cost > python_cost:
        return nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed)
    if k is None:
        raw = _brandes_dense(adjacency, np.arange(n))
        return dict(zip(nodes, (raw / ((n - 1) * (n - 2))).tolist()))
    sources = random.Random(seed).sample(nodes, k)
    index = {node: i for i, node in enumerate(nodes)}
    src = np.array([index[s] for s in sources], dtype=np.int64)
    raw = _brandes_dense(adjacency, src)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[src] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return dict(zip(nodes, (raw * scale).tolist()))


def _communities(graph: nx.Graph, seed: int) -> dict:
    """Louvain community per node, numbered 1..k by descending size (ties: smallest id)."""
    if graph.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    lookup = {str(node): node for node in graph}
    return {lookup[member]: number for number, members in enumerate(ordered, start=1)
            for member in members}


def association_metrics(graph: nx.Graph, seed: int = 42, exact_limit: int = 5000,
                        sample_k: int = 1000) -> pd.DataFrame:
    """Degree, weighted degree, betweenness and community of every association.

    Parameters
    ----------
    graph : networkx.Graph
        The network from :func:`build_graph`.
    seed : int, default 42
        Seed for the Louvain communities and for sampling betweenness sources.
    exact_limit : int, default 5000
        Exact betweenness up to this many nodes; above it, a seeded sample of sources.
    sample_k : int, default 1000
        Number of sampled source nodes when sampling (at least 2).

    Returns
    -------
    pandas.DataFrame
        ``id, graad, gewogen_graad, betweenness, gemeenschap``, one row per node in
        graph order. ``betweenness`` is normalised (0-1, unweighted shortest paths:
        ``weight`` is a tie strength, not a distance) and equals
        ``networkx.betweenness_centrality`` (with ``k`` and ``seed`` when sampling).
        ``gemeenschap`` is the Louvain community (weighted, fixed seed) numbered 1..k by
        descending size. ``attrs["betweenness_methode"]`` is ``"exact"`` or
        ``"steekproef (k=..., seed=...)"``.
    """
    nodes = list(graph)
    n = len(nodes)
    if n > exact_limit and sample_k < n:
        k: int | None = max(int(sample_k), 2)  # one source leaves its own score undefined
        method = f"steekproef (k={k}, seed={seed})"
    else:
        k = None
        method = "exact"
    betweenness = _betweenness(graph, k, seed)
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
    return derived.where(buurt.str.fullmatch(r"BU\d{8}").fillna(False))


def _edge_area_table(associations: pd.DataFrame, ties: pd.DataFrame, level: str,
                     gemeente_code: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cleaned associations with ``code`` and merged edges with the area codes of both ends."""
    nodes = associations.copy()
    nodes["code"] = association_area_codes(nodes, level, gemeente_code).fillna("")
    edges = merged_edges(ties, nodes["id"])
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


def _per_1000(count: pd.Series, inwoners: pd.Series) -> pd.Series:
    valid = inwoners.notna() & (inwoners > 0)
    return (count.astype(float) / inwoners.where(valid) * 1000.0).astype(float)


def area_network_table(associations: pd.DataFrame, ties: pd.DataFrame, areas: gpd.GeoDataFrame,
                       level: str, year: int) -> pd.DataFrame:
    """Network indicators for every area of one level and year, in tidy form.

    Only the active associations of the year take part: a tie to an association that is
    not active (``actief`` false) or that does not exist in that year is ignored, so that
    every figure describes the same set of associations as ``verenigingen_aantal``.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations (any years; only ``jaar == year`` is used).
    ties : pandas.DataFrame
        Ties (any years; only ``jaar == year`` is used). Ties are merged per pair as in
        :func:`build_graph`.
    areas : geopandas.GeoDataFrame
        Areas of ``level`` with ``gebiedscode`` and ``inwoners``.
    level : {"buurt", "wijk", "gemeente"}
        Area level.
    year : int
        Measurement year.

    Returns
    -------
    pandas.DataFrame
        ``gebiedscode, niveau, jaar, indicator, waarde``, one row per area and indicator of
        :data:`NETWORK_INDICATORS`:

        - ``verenigingen_aantal``: active associations in the area;
        - ``verenigingen_per_1000_inw``, ``leden_per_1000_inw``: per 1,000 inhabitants
          (NaN when ``inwoners`` is missing or 0; ``leden`` sums the known member counts of
          the active associations, NaN when none of them is known);
        - ``netwerk_dichtheid``: connected pairs inside the area / (n(n-1)/2) with n the
          area's active associations (NaN when n < 2);
        - ``overbruggende_banden_pct``: % of the connected pairs touching the area that
          have exactly one end in it (the other end elsewhere or in no area; NaN when no
          pair touches the area);
        - ``geisoleerde_verenigingen``: active associations in the area without any tie.
    """
    _check_level(level)
    codes = _str_or_na(pd.Series(areas["gebiedscode"]))
    area_index = pd.Index(codes.dropna().unique(), dtype="string")
    gemeente_code = str(area_index[0]) if level == "gemeente" and len(area_index) == 1 else None
    nodes, edges = _edge_area_table(_active(_year_associations(associations, year)),
                                    _year_ties(ties, year), level, gemeente_code)
    counts = _tie_counts(edges).reindex(area_index, fill_value=0)

    connected = pd.Index(pd.concat([edges["u"], edges["v"]]).unique())
    nodes["isolated"] = ~nodes["id"].isin(connected).to_numpy(bool)
    n_active = nodes.groupby("code").size().reindex(area_index, fill_value=0)
    leden = nodes.groupby("code")["leden"].sum(min_count=1).reindex(area_index)
    leden = leden.where(n_active > 0, 0.0)
    isolated = nodes.groupby("code")["isolated"].sum().reindex(area_index, fill_value=0)

    inwoners = pd.to_numeric(pd.Series(areas["inwoners"].to_numpy(), index=pd.Index(codes)),
                             errors="coerce")
    inwoners = inwoners[~inwoners.index.duplicated()].reindex(area_index)
    pairs = n_active * (n_active - 1) / 2.0
    touching = counts["bindend"] + counts["overbruggend"]
    values = pd.DataFrame({
        "verenigingen_aantal": n_active.astype(float),
        "verenigingen_per_1000_inw": _per_1000(n_active, inwoners),
        "leden_per_1000_inw": _per_1000(leden, inwoners),
        "netwerk_dichtheid": (counts["bindend"] / pairs.where(n_active >= 2)).astype(float),
        "overbruggende_banden_pct": (100.0 * counts["overbruggend"]
                                     / touching.where(touching > 0)).astype(float),
        "geisoleerde_verenigingen": isolated.astype(float),
    }, index=area_index)
    if level == "gemeente":
        # every tie of the dataset lies inside the gemeente: bridging out of it is 0 by construction
        values = values.drop(columns="overbruggende_banden_pct")
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


def network_indicators(ds: Dataset, years: list[int] | None = None) -> pd.DataFrame:
    """Network indicators for buurten, wijken and the gemeente in every year with associations.

    Parameters
    ----------
    ds : analysis.model.Dataset
        The loaded dataset.
    years : list of int, optional
        Years to compute; years without any association are skipped (their counts would
        read as zero). Default: every year of ``ds.years()`` that occurs in
        ``ds.associations.jaar``.

    Returns
    -------
    pandas.DataFrame
        Concatenated :func:`area_network_table` rows (``gebiedscode, niveau, jaar,
        indicator, waarde``).
    """
    associations = ds.associations
    if len(associations) == 0 or "jaar" not in associations.columns:
        return _empty_tidy()
    present = set(pd.to_numeric(associations["jaar"], errors="coerce").dropna().astype(int))
    wanted = ds.years() if years is None else years
    parts = [area_network_table(associations, ds.ties, ds.areas(level), level, int(year))
             for year in sorted({int(y) for y in wanted} & present)
             for level in _LEVELS if len(ds.areas(level))]
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


def bridging_bonding(associations: pd.DataFrame, ties: pd.DataFrame, level: str = "wijk",
                     year: int | None = None) -> pd.DataFrame:
    """Bonding and bridging ties per area, also split by the kinds of associations they join.

    Parameters
    ----------
    associations : pandas.DataFrame
        Associations (any years).
    ties : pandas.DataFrame
        Ties (any years).
    level : {"buurt", "wijk", "gemeente"}, default "wijk"
        Area level (for ``gemeente`` the GM code is derived from the buurtcode).
    year : int, optional
        Year to use; default the latest ``jaar`` among the associations.

    Returns
    -------
    pandas.DataFrame
        One row per area with active associations that year (sorted by code), columns
        :data:`BRIDGING_COLUMNS`; ``verenigingen`` counts them. As in
        :func:`area_network_table`, only ties between active associations of the year count,
        merged per pair as in :func:`build_graph`.
        ``bindend``: both ends in the area; ``overbruggend``: exactly one end in it;
        ``banden`` = the two together. The ``*_zelfde_soort`` / ``*_ander_soort`` columns
        split them by whether both associations have the same ``soort`` (ties with an
        association of unknown soort are in neither). ``overbruggend_pct`` = overbruggend /
        banden and ``ander_soort_pct`` = ander / (zelfde + ander), in %, NaN without ties.
    """
    _check_level(level)
    if year is None:
        jaar = pd.to_numeric(associations["jaar"], errors="coerce").dropna() \
            if "jaar" in associations.columns else pd.Series(dtype=float)
        if len(jaar) == 0:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in BRIDGING_COLUMNS})
        year = int(jaar.max())
    nodes, edges = _edge_area_table(_active(_year_associations(associations, year)),
                                    _year_ties(ties, year), level, None)
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
    table["jaar"] = int(year)
    return table[list(BRIDGING_COLUMNS)]


def graph_layout(graph: nx.Graph, seed: int = 42) -> pd.DataFrame:
    """Node positions for drawing: a seeded spring layout, with isolated associations on a ring.

    A spring layout pushes nodes without ties far away, which squeezes the connected part into
    the middle of the picture. Isolated associations are therefore placed evenly on a circle
    just outside the connected part.

    Parameters
    ----------
    graph : networkx.Graph
        The association graph (:func:`build_graph`).
    seed : int
        Seed of the spring layout (the same graph and seed give the same positions).

    Returns
    -------
    pandas.DataFrame
        ``id`` (string), ``x``, ``y`` (unitless, about -1.3 to 1.3), one row per node.
    """
    isolated = [n for n in graph.nodes if graph.degree(n) == 0]
    connected = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    ids: list = []
    parts: list[np.ndarray] = []
    if connected.number_of_nodes():
        n = connected.number_of_nodes()
        pos = nx.spring_layout(connected, seed=seed, k=1.5 / np.sqrt(n), iterations=40 if n > 1500 else 60)
        ids += list(pos)
        xy = np.array([pos[i] for i in pos], dtype=float)
        xy -= xy.mean(axis=0)
        scale = np.abs(xy).max() if len(xy) > 1 else 1.0
        parts.append(xy / (scale if scale > 0 else 1.0))
    if isolated:
        angle = 2.0 * np.pi * np.arange(len(isolated)) / len(isolated)
        radius = 1.25 if connected.number_of_nodes() else 1.0
        ids += isolated
        parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    xy = np.vstack(parts) if parts else np.empty((0, 2))
    return pd.DataFrame({"id": pd.array([str(i) for i in ids], dtype="string"), "x": xy[:, 0], "y": xy[:, 1]})
