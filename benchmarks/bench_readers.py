"""Peak memory of the patient readers on inputs at their limits (``make bench-readers``).

Each reader reads a synthetic file just under its limit (the default ``MEDTWIN_MAX_INPUT_ROWS``
= 500,000 lines and ``MEDTWIN_MAX_INPUT_MB`` = 128 MiB; a FHIR bundle's share of it, 64 MiB) in a
fresh process; the figure is that process's peak RSS growth over its baseline after imports
(``VmHWM - VmRSS`` read from ``/proc/self/status``), with the time the read took and its CPU
time (``time.process_time``; wall time on a loaded machine is mostly waiting)::

    uv run python -m benchmarks.bench_readers [--before GIT_REF] [--only de,gmt] [--keep DIR]
        [--fhir-mib N]

The files (written once into a temporary folder, or ``--keep DIR``):

* ``de``: a DE table of 499,000 rows (gene, log2fc, padj), 20,000 genes resolving, every other
  name unresolved (a transcript-level table named by ids the gene index does not know);
* ``de_p``: the same with a raw ``p`` column instead of ``padj`` (Benjamini-Hochberg per patient);
* ``gmt``: 499,000 gene sets of 3 genes; ``gmt_wide``: 2,000 sets of 2,000 genes;
* ``fhir``: a bundle of one Patient and gene Observations just under the bundle limit of this
  code (``MEDTWIN_MAX_INPUT_MB`` / ``FHIR_SHARE``), or ``--fhir-mib`` (its limit lifted to fit);
* ``vcf``: 499,000 annotated records of one sample;
* ``cohort``: a matrix of 20,000 genes x 600 samples (~50 MB) and its sample sheet;
* ``sheet``: that matrix beside a sample sheet of 499,000 rows (refused: 498,400 of its samples
  are no column of the matrix, which a sheet read whole held until then);
* ``targets``: a ``rank --targets`` file of 499,000 drug-target rows of 20,000 drugs
  (``platform.custom_targets.custom_candidates``);
* ``mutations``: a mutation table of 499,000 rows.

``--before REF`` reads the same files with the code of that git commit (its ``src/`` exported to
a temporary folder and put first on ``PYTHONPATH``), so before and after come from one run on one
machine. The worker also prints what it read (changes, unresolved names, the profile's digest),
and the table says whether before and after read the same.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_cli import _export

ROOT = Path(__file__).resolve().parents[1]
ROWS = 499_000
RESOLVING = 20_000


class _Genes:
    """Resolves ``G0`` ... ``G19999`` (Entrez ``1`` ... ``20000``); every other name fails.

    Like ``GeneIndex``, it answers with the ids it holds (one string per gene, shared).
    """

    def __init__(self) -> None:
        self._ids = {f"G{i}": str(i + 1) for i in range(RESOLVING)}

    def resolve(self, name: str) -> str | None:
        return self._ids.get(name)


def _write_de(path: Path, p_column: str) -> None:
    rng = random.Random(1)
    with path.open("w") as out:
        out.write(f"gene\tlog2fc\t{p_column}\n")
        for i in range(ROWS):
            name = f"G{i}" if i < RESOLVING else f"ENST{i:011d}"
            out.write(f"{name}\t{rng.uniform(-4, 4):.4f}\t{rng.random() ** 3:.3g}\n")


LARGE_DE_ROWS = 490_000
"""Rows of ``de_large``: DESeq2's columns and a description, ~100 MB (stop 60's brief)."""


def _write_de_large(path: Path) -> None:
    rng = random.Random(3)
    note = "protein coding gene of the synthetic benchmark table, described at length as " * 2
    with path.open("w") as out:
        out.write("gene\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj\tdescription\n")
        for i in range(LARGE_DE_ROWS):
            name = f"G{i}" if i < RESOLVING else f"ENST{i:011d}"
            fc, se = rng.uniform(-4, 4), rng.uniform(0.1, 1)
            p = rng.random() ** 3
            out.write(
                f"{name}\t{rng.uniform(1, 5000):.3f}\t{fc:.4f}\t{se:.4f}\t{fc / se:.4f}\t"
                f"{p:.4g}\t{min(1.0, p * 3):.4g}\t{note}{i}\n"
            )


def _write_gmt(path: Path, sets: int, size: int) -> None:
    with path.open("w") as out:
        for i in range(sets):
            genes = "\t".join(f"G{(i * 7 + k) % (RESOLVING * 2)}" for k in range(size))
            out.write(f"SET_{i}\thttp://example.org/{i}\t{genes}\n")


def _observation(i: int) -> dict[str, object]:
    """A gene Observation with a log2 fold change, of a gene that resolves or not."""
    return {
        "fullUrl": f"urn:uuid:obs-{i}",
        "resource": {
            "resourceType": "Observation",
            "id": f"o{i}",
            "status": "final",
            "subject": {"reference": "Patient/P1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": "http://www.genenames.org",
                        "code": f"HGNC:{i}",
                        "display": f"G{i % (RESOLVING * 2)}",
                    }
                ]
            },
            "component": [
                {
                    "code": {"text": "log2 fold change"},
                    "valueQuantity": {"value": ((i % 17) - 8) / 2, "unit": "log2"},
                }
            ],
        },
    }


def _write_fhir(path: Path, max_bytes: int) -> None:
    patient = {"resource": {"resourceType": "Patient", "id": "P1", "gender": "female"}}
    entries = [json.dumps(patient)]
    size, i = 200, 0
    while True:
        entry = json.dumps(_observation(i))
        if size + len(entry) + 1 > max_bytes:
            break
        entries.append(entry)
        size += len(entry) + 1
        i += 1
    head = '{"resourceType": "Bundle", "type": "collection", "entry": ['
    path.write_text(head + ",".join(entries) + "]}")


def _write_vcf(path: Path) -> None:
    with path.open("w") as out:
        out.write(
            "##fileformat=VCFv4.2\n"
            '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
            "'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID' \">\n"
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP1\n"
        )
        for i in range(ROWS):
            gene = f"G{i}" if i < RESOLVING else f"X{i}"
            out.write(
                f"1\t{i + 1}\t.\tA\tT\t50\tPASS\tANN=T|missense_variant|MODERATE|{gene}|x\t"
                "GT\t0/1\n"
            )


def _write_cohort(matrix: Path, samples: Path, genes: int = 20_000, n: int = 600) -> None:
    """A matrix of ``genes`` x ``n`` values (~6 bytes each) and its sample sheet."""
    rng = random.Random(2)
    with matrix.open("w") as out:
        out.write("gene\t" + "\t".join(f"S{j}" for j in range(n)) + "\n")
        for i in range(genes):
            out.write(f"G{i}\t" + "\t".join(f"{rng.gauss(7, 2):.3f}" for _ in range(n)) + "\n")
    samples.write_text(
        "sample\tgroup\n" + "".join(f"S{j}\t{'case' if j < 5 else 'control'}\n" for j in range(n))
    )


def _write_mutations(path: Path) -> None:
    categories = ("MutNovel", "MutKnownFunctional", "Amp8", "Del0.8")
    with path.open("w") as out:
        out.write("gene\tcategory\n")
        for i in range(ROWS):
            name = f"G{i % RESOLVING}" if i % 3 else f"Y{i}"
            out.write(f"{name}\t{categories[i % 4]}\n")


def _write_sheet(path: Path, n: int = ROWS) -> None:
    with path.open("w") as out:
        out.write("sample\tgroup\tsite\n")
        for j in range(n):
            out.write(f"S{j}\t{'case' if j < 5 else 'control'}\tsite {j % 7}\n")


def _write_targets(path: Path) -> None:
    actions = ("inhibitor", "agonist", "antagonist", "")
    with path.open("w") as out:
        out.write("drug_id\tgene\tdrug_name\taction\n")
        for i in range(ROWS):
            drug = i % RESOLVING
            gene = f"G{(i * 7) % RESOLVING}" if i % 5 else f"Z{i}"
            out.write(f"TRIAL-{drug}\t{gene}\ttrial drug {drug}\t{actions[i % 4]}\n")


def fhir_limit_mib() -> int:
    """The FHIR bundle limit of this code at the default input limit (MiB)."""
    from medtwin.loaders.limits import InputLimits
    from medtwin.loaders.patient_fhir import FHIR_SHARE

    return InputLimits().max_bytes // FHIR_SHARE // 2**20


def make_files(folder: Path, fhir_mib: int) -> dict[str, str]:
    """Write the inputs (those missing) under ``folder``; return kind -> path argument."""
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, tuple[str, Callable[[Path], None]]] = {
        "de": ("de.tsv", lambda p: _write_de(p, "padj")),
        "de_p": ("de_p.tsv", lambda p: _write_de(p, "p")),
        "de_large": ("de_large.tsv", _write_de_large),
        "gmt": ("sets.gmt", lambda p: _write_gmt(p, ROWS, 3)),
        "gmt_wide": ("wide.gmt", lambda p: _write_gmt(p, 2_000, 2_000)),
        "fhir": (f"bundle_{fhir_mib}mib.json", lambda p: _write_fhir(p, fhir_mib * 2**20 - 4096)),
        "vcf": ("calls.vcf", _write_vcf),
        "mutations": ("mutations.tsv", _write_mutations),
        "targets": ("targets.tsv", _write_targets),
    }
    out: dict[str, str] = {}
    for kind, (name, write) in writers.items():
        path = folder / name
        if not path.exists():
            write(path)
        out[kind] = str(path)
    matrix, samples = folder / "expr.tsv", folder / "samples.tsv"
    if not matrix.exists():
        _write_cohort(matrix, samples)
    out["cohort"] = f"{matrix},{samples}"
    large, large_samples = folder / "expr_large.tsv", folder / "samples_large.tsv"
    if not large.exists():
        _write_cohort(large, large_samples, n=1_000)  # ~120 MB
    out["cohort_large"] = f"{large},{large_samples}"
    sheet = folder / "sheet.tsv"
    if not sheet.exists():
        _write_sheet(sheet)
    out["sheet"] = f"{matrix},{sheet}"
    return out


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def _digest(value: object) -> str:
    """sha256 of what a reader returned (JSON of its pydantic models / arrays)."""
    text = json.dumps(value, sort_keys=True, default=lambda o: getattr(o, "model_dump", str)())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read(kind: str, arg: str) -> tuple[object, ...]:
    """Read one input with the code on ``sys.path``; return what the reader returned."""
    from medtwin.loaders import gmt, patient_fhir, patient_mutations, patient_tables, patient_vcf

    genes = _Genes()
    if kind in {"de", "de_p", "de_large"}:
        every: list[object] = []
        got = patient_tables.read_de_table(Path(arg), "P1", genes, every=every)  # type: ignore[arg-type]
        return got, every
    if kind in {"gmt", "gmt_wide"}:
        return (gmt.read_gmt(Path(arg), genes),)
    if kind == "fhir":
        return (patient_fhir.read_fhir_bundle(Path(arg), genes),)
    if kind == "vcf":
        return (patient_vcf.read_vcf(Path(arg), "P1", genes),)
    if kind == "mutations":
        return (patient_mutations.read_mutations(Path(arg), "P1", genes),)
    if kind == "targets":
        from medtwin.platform import custom_targets

        return (custom_targets.custom_candidates(Path(arg), genes),)  # type: ignore[arg-type]
    from medtwin.loaders import patient_cohort

    matrix, samples = arg.split(",")
    return (patient_cohort.read_cohort_matrix(Path(matrix), Path(samples), genes),)


def _summary(kind: str, got: tuple[object, ...]) -> dict[str, object]:
    """What a reader returned, in a few figures and digests (compared before/after)."""
    if kind in {"de", "de_p", "de_large"}:
        every = got[1]
        return _profile(got[0]) | {"every": len(every), "every_digest": _digest(every)}  # type: ignore[arg-type]
    if kind in {"gmt", "gmt_wide"}:
        sets = got[0]
        fields = ("name", "description", "genes", "unmapped")  # a model before, a dataclass now
        rows = [{f: getattr(s, f) for f in fields} for s in sets]  # type: ignore[attr-defined]
        return {"sets": len(sets), "digest": _digest(rows)}
    if kind == "targets":
        found = got[0]
        drugs = {k: [v.name, v.targets, v.directions] for k, v in found.drugs.items()}  # type: ignore[attr-defined]
        return {
            "drugs": len(drugs),
            "digest": _digest(drugs),
            "unmapped": len(found.unmapped),  # type: ignore[attr-defined]
            "label": found.label,  # type: ignore[attr-defined]
        }
    if kind in {"cohort", "cohort_large", "sheet"}:
        cohort = got[0]
        return {
            "values": hashlib.sha256(cohort.values.tobytes()).hexdigest()[:16],  # type: ignore[attr-defined]
            "unmapped": len(cohort.unmapped),  # type: ignore[attr-defined]
            "checksums": cohort.checksums,  # type: ignore[attr-defined]
        }
    return _profile(got[0])


def _profile(profile: object) -> dict[str, object]:
    data = profile.model_dump()  # type: ignore[attr-defined]
    data.pop("warnings", None)
    # a profile keeps its first 1,000 unresolved names (by name) and the count of all since
    # the readers' memory was bounded: compare those, and the rest as a whole
    names = data.pop("unmapped")
    count = data.pop("unmapped_count", len(names))
    return {
        "changes": len(data["changes"]),
        "unmapped": count,
        "unmapped_first_1000": _digest(list(names[:1000])),
        "checksums": data["input_checksums"],
        "digest": _digest(data),
    }


def worker(kind: str, arg: str) -> None:
    """Read one input; print one JSON line of baseline/peak RSS (MB), seconds and what was read."""
    import logging

    logging.disable(logging.WARNING)
    import fhir.resources.R4B.bundle  # noqa: F401  (imports are the baseline, not the input)
    import numpy  # noqa: F401
    import pydantic  # noqa: F401

    from medtwin.loaders import patient_fhir, patient_tables  # noqa: F401
    from medtwin.loaders.limits import InputLimits, set_process_limits

    if kind == "fhir":  # a bundle past this code's share is read under a limit it fits in
        size = Path(arg).stat().st_size
        share = getattr(patient_fhir, "FHIR_SHARE", 1)
        set_process_limits(InputLimits(max_bytes=max(InputLimits().max_bytes, size * share)))
    with contextlib.suppress(OSError):  # the peak so far is the imports': start afresh
        Path("/proc/self/clear_refs").write_text("5")  # (Linux >= 4.0)
    baseline = _status("VmRSS:")
    start, cpu = time.perf_counter(), time.process_time()
    try:
        got = _read(kind, arg)
    except Exception as e:  # noqa: BLE001  (reported in the table, e.g. a limit refusal)
        got, error = (), f"{type(e).__name__}: {e}"[:200]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status("VmHWM:")  # before the summary's JSON, which is not the reader's
    read = _summary(kind, got) if got else {"error": error}
    figures = {"baseline_mb": baseline, "peak_mb": peak, "s": seconds, "cpu_s": cpu}
    print(json.dumps(figures | {"read": read}))


def _run(kind: str, arg: str, src: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    got = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_readers", "--worker", kind, arg],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, object] = json.loads(got.stdout.strip().splitlines()[-1])
    return report


def _size(arg: str) -> float:
    return sum(Path(p).stat().st_size for p in arg.split(",")) / 2**20


def main() -> None:
    """Measure every reader (now and, with ``--before``, at that commit) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="Git ref whose readers to measure as well (e.g. main).")
    parser.add_argument(
        "--only", help="Comma-separated kinds (de,de_p,gmt,gmt_wide,fhir,targets,...)."
    )
    parser.add_argument("--keep", type=Path, help="Folder for the input files (kept).")
    parser.add_argument(
        "--fhir-mib",
        type=int,
        help="Size of the FHIR bundle (MiB; default: this code's bundle limit). A larger one is "
        "read with the input limit raised to fit it, to measure a relaxed share.",
    )
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory(prefix="medtwin-readers-") as tmp:
        files = make_files(args.keep or Path(tmp) / "inputs", args.fhir_mib or fhir_limit_mib())
        if args.only:
            files = {k: v for k, v in files.items() if k in args.only.split(",")}
        before_src = _export(args.before, Path(tmp)) if args.before else None
        figures: dict[str, dict[str, object]] = {}
        for kind, arg in files.items():
            figures[kind] = {"file_mb": round(_size(arg), 1), "now": _run(kind, arg, ROOT / "src")}
            if before_src is not None:
                figures[kind]["before"] = _run(kind, arg, before_src)
            _print_row(kind, figures[kind])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


def _growth(report: object) -> str:
    if not isinstance(report, dict):
        return "–"
    grown = float(report["peak_mb"]) - float(report["baseline_mb"])
    # CPU beside wall time: under the load of shared machines the wall time is mostly waiting
    return f"{grown:7.0f} MB {float(report['s']):6.1f} s (CPU {float(report['cpu_s']):5.1f} s)"


def _print_row(kind: str, row: dict[str, object]) -> None:
    now, before = row["now"], row.get("before")
    same = ""
    if isinstance(now, dict) and isinstance(before, dict):
        same = "same read" if now["read"] == before["read"] else "READ DIFFERS"
    read = now["read"] if isinstance(now, dict) else {}
    print(
        f"{kind:10} {row['file_mb']:7.1f} MB file  now {_growth(now)}"
        + (f"  before {_growth(before)}  {same}" if before is not None else "")
        + f"  {json.dumps(read)[:160]}",
        flush=True,
    )
    if same == "READ DIFFERS":
        print(f"    before: {json.dumps(before['read'])[:300]}", flush=True)  # type: ignore[index]


if __name__ == "__main__":
    main()
