"""The ``wijkweefsel`` console script: validate, demo, indicators and export (Dutch output, never a traceback)."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from analysis.errors import DatasetError
from analysis.findings import Findings

#: Exit codes: success (dataset usable), failure (dataset unusable, command failed), wrong call.
EXIT_OK, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2
LEVELS: tuple[str, ...] = ("buurt", "wijk", "gemeente")
DIALECTS: tuple[str, ...] = ("standaard", "excel-nl")
#: Set to 1 to see Python tracebacks of unexpected errors (for developers).
DEBUG_ENV = "WIJKWEEFSEL_DEBUG"

#: argparse's English messages and their Dutch translation (regular expressions, applied in order).
_ARGPARSE_DUTCH: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
    (r"expected one argument", "verwacht één waarde"),
    (r"expected at least one argument", "verwacht minstens één waarde"),
    (r"invalid int value: (.*)", r"geen geheel getal: \1"),
    (r"^argument ", "argument "),
)


class _DutchParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts (usage, titles, errors) are Dutch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "gebruik:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "gebruik:", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, dutch in _ARGPARSE_DUTCH:
            message = re.sub(pattern, dutch, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\n")


class TextProgress:
    """A plain text progress bar on a terminal stream: ``[#####.....]  50% message``.

    Parameters
    ----------
    stream : TextIO
        Where to draw (standard error); nothing is drawn when it is not a terminal.
    width : int
        Number of bar characters.
    """

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.active = bool(getattr(stream, "isatty", lambda: False)())
        self._drawn = False

    def __call__(self, fraction: float, message: str = "") -> None:
        if not self.active:
            return
        fraction = min(max(float(fraction), 0.0), 1.0)
        filled = int(round(fraction * self.width))
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:3.0f}% {message}"[:100]
        self.stream.write("\r" + line.ljust(100))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


class _CommandError(Exception):
    """A Dutch message for a failed command (exit code 1)."""


def _print_findings(findings: Findings, stream: TextIO) -> None:
    for line in findings.lines():
        print(line, file=stream)


def _load(path: str) -> Any:
    """Load a dataset for a command; its errors are printed by the caller."""
    from analysis.load.dataset import load_dataset

    return load_dataset(path)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

def cmd_validate(args: argparse.Namespace) -> int:
    """Print every finding, one a line; 0 when usable, 1 when not."""
    from analysis.load.dataset import validate

    findings = validate(args.pad)
    _print_findings(findings, sys.stdout)
    errors, warnings = len(findings.errors), len(findings.warnings)
    if errors:
        print(f"Conclusie: de dataset is niet bruikbaar ({errors} fout(en), {warnings} waarschuwing(en)).")
        return EXIT_UNUSABLE
    print(f"Conclusie: de dataset is bruikbaar ({warnings} waarschuwing(en)).")
    return EXIT_OK


def cmd_nieuw(args: argparse.Namespace) -> int:
    """Write a dataset.toml for a folder of files, with the assistant's guesses as comments."""
    from analysis.load.writer import new_manifest

    folder = Path(args.map)
    target, plan = new_manifest(folder, Path(args.uit) if args.uit else None, overwrite=args.overschrijven)
    for f in plan.files:
        state = f"{f.kind}" if f.is_source else "niet gebruikt"
        print(f"{f.detection.name}: {state}. {f.detection.why}" + (f" ({f.note})" if f.note and not f.is_source else ""))
    print(f"Geschreven: {target}. Controleer de voorstellen in dat bestand en daarna de dataset met: "
          f"wijkweefsel validate {folder}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Write the demo municipality into a folder."""
    from analysis.demo import write_demo

    out_dir = Path(args.uit)
    write_demo(out_dir)
    print(f"De demogemeente is geschreven naar {out_dir}.")
    return EXIT_OK


def _write_csv(frame: Any, path: Path, dialect: str, is_demo: bool = False) -> None:
    """Write a table as CSV in one of the two dialects of :func:`analysis.render.tables.csv_bytes`.

    ``excel-nl`` is for people and rounds every figure to its unit's precision; demo data get ``fictief`` = ``ja``.
    """
    from analysis.render.tables import csv_bytes, mark_fictional, readable_frame

    if dialect == "excel-nl":
        frame = readable_frame(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(mark_fictional(frame, is_demo), dialect="excel-nl" if dialect == "excel-nl" else "standaard"))


def cmd_indicators(args: argparse.Namespace) -> int:
    """Compute the indicator table for one level (and year) and write it as CSV."""
    from analysis.compute import indicators

    ds = _load(args.dataset)
    years = None
    if args.jaar is not None:
        known = ds.years()
        if args.jaar not in known:
            raise _CommandError(f"jaar {args.jaar} komt niet voor in de dataset (wel: {', '.join(map(str, known))})")
        years = [args.jaar]
    bar = TextProgress(sys.stderr)
    try:
        table = indicators.compute_indicators(ds, years=years, levels=(args.niveau,), progress=bar)
    finally:
        bar.close()
    table = table[table["niveau"] == args.niveau]
    if args.jaar is not None:
        table = table[table["jaar"] == args.jaar]
    out = Path(args.uit)
    _write_csv(table.reset_index(drop=True), out, args.dialect, ds.is_demo)
    print(f"{len(table)} rijen ({args.niveau}{', ' + str(args.jaar) if args.jaar else ''}) geschreven naar {out}.")
    return EXIT_OK


#: The figures of an evaluation rounded by their unit in the ``excel-nl`` dialect.
EVALUATION_VALUES: tuple[str, ...] = ("basiswaarde", "laatste_waarde", "streefwaarde", "verandering",
                                      "verandering_vergelijking", "verschil_in_verschil")


def cmd_evaluatie(args: argparse.Namespace) -> int:
    """Evaluate the dataset's wijkplan: the plan lines into FILE, the measures into FILE_maatregelen."""
    from analysis.compute import evaluation, indicators
    from analysis.render.tables import csv_bytes, mark_fictional, readable_frame

    ds = _load(args.dataset)
    if len(ds.plan) == 0 and len(ds.measures) == 0:
        raise _CommandError("de dataset heeft geen wijkplan: zet onder [bronnen] plan = \"plan.csv\" en/of "
                            "maatregelen = \"maatregelen.csv\" (zie data/templates)")
    bar = TextProgress(sys.stderr)
    try:
        table = indicators.compute_indicators(ds, progress=bar)
    finally:
        bar.close()
    plan, measures = evaluation.evaluate_dataset(ds, table)
    out = Path(args.uit)
    targets = (out, out.with_name(f"{out.stem}_maatregelen{out.suffix or '.csv'}"))
    for frame, path in zip((plan, measures), targets, strict=True):
        if args.dialect == "excel-nl":  # for people: figures to their unit's precision, ja/nee for yes and no
            frame = readable_frame(frame, value_columns=EVALUATION_VALUES)
            for column in ("doel_gehaald", "groter_dan_marge"):
                if column in frame.columns:
                    frame[column] = frame[column].map({True: "ja", False: "nee"}).astype("object")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csv_bytes(mark_fictional(frame, ds.is_demo), dialect=args.dialect))
    print(f"{len(plan)} doelen geschreven naar {targets[0]}.")
    print(f"{len(measures)} regels over {measures['id'].nunique()} maatregelen geschreven naar {targets[1]}.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the wijkprofielen (PNG, CSV), the Excel workbook and the tables of a dataset into a folder."""
    from analysis.compute import indicators
    from analysis.render import export

    ds = _load(args.dataset)
    wijken = args.wijk or None
    if wijken:
        wijken = [code.strip().upper() for code in wijken]
        unknown = sorted(set(wijken) - set(ds.wijken["gebiedscode"]))
        if unknown:
            raise _CommandError(f"onbekende wijkcode(s) {', '.join(unknown)}; de dataset heeft "
                                f"{', '.join(list(ds.wijken['gebiedscode'])[:12])}{' ...' if len(ds.wijken) > 12 else ''}")
    bar = TextProgress(sys.stderr)
    try:
        table = indicators.compute_indicators(ds, progress=lambda f, m: bar(f * 0.5, m))
        paths = export.export_all(ds, table, Path(args.uit), wijken=wijken, progress=lambda f, m: bar(0.5 + f * 0.5, m))
    finally:
        bar.close()
    for path in paths:
        print(path)
    print(f"{len(paths)} bestanden geschreven naar {args.uit}.")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# Parser and entry point
# ---------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``wijkweefsel`` (Dutch help)."""
    parser = _DutchParser(prog="wijkweefsel",
                          description="Wijkweefsel: sociale infrastructuur per wijk en buurt. Controleer een dataset, "
                                      "maak de demogemeente, bereken indicatoren of exporteer wijkprofielen.")
    sub = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", title="opdrachten", required=True)

    p = sub.add_parser("validate", help="controleer een dataset (map, dataset.toml, ZIP of los bestand)",
                       description="Controleer een dataset en toon de bevindingen, één per regel. "
                                   "Afsluitcode 0: bruikbaar (waarschuwingen mogelijk), 1: niet bruikbaar, 2: verkeerde aanroep.")
    p.add_argument("pad", metavar="PAD", help="datasetmap, dataset.toml, ZIP-bestand of los bestand")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("nieuw", help="schrijf een dataset.toml voor een map met bestanden (de importassistent)",
                       description="Bekijk elk bestand in een map, herken wat het is (buurten, voorzieningen, monitor, ...) "
                                   "en schrijf een dataset.toml met die keuzes en de redenen als commentaar. Een bestaande "
                                   "dataset.toml wordt niet overschreven, tenzij --overschrijven.")
    p.add_argument("map", metavar="MAP", help="de map met de bestanden van de gemeente")
    p.add_argument("--uit", metavar="MAP/dataset.toml", help="waar het manifest komt (standaard MAP/dataset.toml)")
    p.add_argument("--overschrijven", action="store_true", help="vervang een bestaande dataset.toml")
    p.set_defaults(func=cmd_nieuw)

    p = sub.add_parser("demo", help="schrijf de fictieve demogemeente naar een map",
                       description="Schrijf de fictieve demogemeente (vaste seed, elke keer byte-gelijk) naar een map.")
    p.add_argument("--uit", required=True, metavar="MAP", help="de map om in te schrijven")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("indicators", help="bereken de indicatoren van één niveau en schrijf ze als CSV",
                       description="Bereken de indicatorentabel (gebied, jaar, indicator, waarde, eenheid, n, marges) "
                                   "voor één niveau en schrijf die als CSV.")
    p.add_argument("dataset", metavar="DATASET", help="datasetmap, ZIP-bestand of buurtenbestand")
    p.add_argument("--niveau", required=True, choices=LEVELS, help="buurt, wijk of gemeente")
    p.add_argument("--jaar", type=int, metavar="JJJJ", help="alleen dit meetjaar (standaard: alle jaren)")
    p.add_argument("--uit", required=True, metavar="BESTAND.csv", help="het CSV-bestand om te schrijven")
    p.add_argument("--dialect", choices=DIALECTS, default="standaard",
                   help="standaard (komma, punt als decimaalteken, UTF-8) of excel-nl (puntkomma, decimale komma)")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("evaluatie", help="evalueer het wijkplan (doelen en maatregelen) en schrijf het als CSV",
                       description="Evalueer het wijkplan van een dataset (bronnen plan en maatregelen). BESTAND krijgt "
                                   "per doel de basiswaarde, elke latere meting, of het doel gehaald is en of de "
                                   "verandering groter is dan de marge; BESTAND_maatregelen.csv per maatregel en indicator "
                                   "de verandering sinds de start tegenover vergelijkbare gebieden zonder zo'n maatregel "
                                   "(een verschil van verschillen: samenhang, geen bewijs).")
    p.add_argument("dataset", metavar="DATASET", help="datasetmap, ZIP-bestand of buurtenbestand")
    p.add_argument("--uit", required=True, metavar="BESTAND.csv", help="het CSV-bestand van de doelen")
    p.add_argument("--dialect", choices=DIALECTS, default="standaard",
                   help="standaard (komma, punt als decimaalteken, UTF-8, volle precisie) of excel-nl (puntkomma, "
                        "decimale komma, afgerond op de eenheid)")
    p.set_defaults(func=cmd_evaluatie)

    p = sub.add_parser("export", help="exporteer wijkprofielen (PNG en CSV) en tabellen naar een map",
                       description="Exporteer per wijk het wijkprofiel (PNG en CSV) en de tabellen van de dataset.")
    p.add_argument("dataset", metavar="DATASET", help="datasetmap, ZIP-bestand of buurtenbestand")
    p.add_argument("--wijk", action="extend", nargs="+", metavar="CODE",
                   help="alleen deze wijk(en), bijvoorbeeld WK019310 (standaard: alle wijken)")
    p.add_argument("--uit", required=True, metavar="MAP", help="de map om in te schrijven")
    p.set_defaults(func=cmd_export)
    return parser


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; every failure becomes Dutch text on standard error and exit code 1."""
    try:
        return func(args)
    except DatasetError as error:
        if func is cmd_nieuw:
            print("Er is geen dataset.toml geschreven:", file=sys.stderr)
        elif func is not cmd_validate:
            print("De dataset is niet bruikbaar:", file=sys.stderr)
        _print_findings(error.findings, sys.stderr)
        return EXIT_UNUSABLE
    except _CommandError as error:
        print(f"wijkweefsel: fout: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("wijkweefsel: afgebroken", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # never a traceback for the user
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"wijkweefsel: onverwachte fout ({type(exc).__name__}: {str(exc)[:300]}). "
              f"Zet {DEBUG_ENV}=1 voor details en meld de fout.", file=sys.stderr)
        return EXIT_UNUSABLE


@contextlib.contextmanager
def _own_temp_folder() -> Iterator[None]:
    """Temporary files of this command (an unpacked ZIP) under its process folder of :mod:`analysis.uploads`.

    What a killed command left there is removed by the next command or the next server start
    (:func:`analysis.uploads.sweep_orphans`); a command that ends removes its own folder.
    """
    from analysis import uploads

    try:
        uploads.sweep_orphans()
        folder = tempfile.mkdtemp(prefix="opdracht-", dir=uploads.process_temp_folder())
    except OSError:  # an unwritable upload root: the system's temporary folder, as before
        yield
        return
    previous, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = previous
        uploads.remove_folder(folder)
        for empty in (Path(folder).parent, Path(folder).parent.parent):  # the process folder, unless in use
            with contextlib.suppress(OSError):
                empty.rmdir()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wijkweefsel`` and ``python -m analysis``; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a captured stream may not have it
        with contextlib.suppress(ValueError):
            if reconfigure is not None:
                reconfigure(errors="replace")  # a non-UTF-8 terminal must not turn ë into a crash
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: help (0) or a wrong call (2)
        return int(stop.code or 0)
    if args.opdracht in ("validate",) and not Path(args.pad).exists():
        parser.print_usage(sys.stderr)
        print(f"wijkweefsel: fout: '{args.pad}' bestaat niet", file=sys.stderr)
        return EXIT_USAGE
    with _own_temp_folder():
        return _run(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
