"""The comparison of options in the terminal, or as CSV; for a sweep, each
point's means in the terminal and every run as CSV (analysis.load.sweep).

    python3 -m analysis.tables RESULTS.h5 [--csv FILE [--force]]
    python3 -m analysis.tables SWEEP.h5 [--csv FILE [--force]]
"""
import argparse
import sys

import h5py

from analysis import load, safe_output
from analysis.money import count, percent, pounds


def comparison_rows(path):
    """The table as strings: one row per option, as a finance officer reads it."""
    table = load.comparisons(path)
    kinds = load.kinds(path) if not table.empty else {}
    rows = []
    for option, row in table.iterrows():
        if row["decision_future"] and row["decision_option"]:
            continue  # an option under a future: in the decision table
        if kinds.get(option) == "future":
            rows.append({
                "option": f"{option} (a future)",
                "spend over the horizon": f"{pounds(row['spend_nominal_mean'], True)} "
                                          f"({pounds(row['spend_nominal_ci95_low'], True)} to "
                                          f"{pounds(row['spend_nominal_ci95_high'], True)})",
                "NPV": f"{pounds(row['spend_discounted_mean'], True)}",
                "level 4 family-months": count(row["top_level_family_months_mean"], True),
                "children in care at the end": count(row["children_in_care_at_end_mean"], True),
                "return per £1": "– (a future)",
                "break-even": "–",
                "chance it saves money": "–",
            })
            continue
        rows.append({
            "option": option,
            "spend over the horizon": f"{pounds(row['spend_nominal_mean'], True)} "
                                      f"({pounds(row['spend_nominal_ci95_low'], True)} to "
                                      f"{pounds(row['spend_nominal_ci95_high'], True)})",
            "NPV": f"{pounds(row['spend_discounted_mean'], True)} "
                   f"({pounds(row['spend_discounted_ci95_low'], True)} to "
                   f"{pounds(row['spend_discounted_ci95_high'], True)})",
            "level 4 family-months": count(row["top_level_family_months_mean"], True),
            "children in care at the end": count(row["children_in_care_at_end_mean"], True),
            "return per £1": "–" if row["return_per_pound_mean"] != row["return_per_pound_mean"]
            else f"£{row['return_per_pound_mean']:.2f}",
            "break-even": "never" if row["break_even_month_q50"] < 0 else (
                "at once" if row["break_even_month_q50"] == 0 else f"after {row['break_even_month_q50'] / 12:.1f} years"),
            "chance it saves money": percent(row["probability_saves_money"]),
        })
    return rows


def pair_rows(path):
    """Every two options as planned, the first less the second, replicate by
    replicate: empty with fewer than two."""
    table = load.pairs(path)
    rows = []
    for (first, second), row in (table[table["future"] == ""].iterrows() if not table.empty else []):
        rows.append({
            "option": first, "against": second,
            "net cost": f"{pounds(row['spend_nominal_mean'], True)} ({pounds(row['spend_nominal_q05'], True)} to "
                        f"{pounds(row['spend_nominal_q95'], True)})",
            "in cash": pounds(row["cash_spend_mean"], True),
            "level 4 family-months": count(row["top_level_family_months_mean"], True),
            "chance it spends less": percent(row["probability_first_costs_less"]),
        })
    return rows


def decision_rows(path):
    """The decision table as strings: each option as planned and under each
    future, against that future without it, ranked within each; empty with
    fewer than two options and no future."""
    table = load.decision(path)
    # With futures, or with two options or more to rank.
    if table.empty or (not any(future for _, future in table.index) and len(table) < 2):
        return []
    rows = []
    for (option, future), row in table.iterrows():
        rows.append({
            "option": option,
            "future": future or "as planned",
            "rank": str(int(row["rank"])),
            "net cost": f"{pounds(row['net_cost'], True)} ({pounds(row['net_cost_q05'], True)} to "
                        f"{pounds(row['net_cost_q95'], True)})",
            "in cash": pounds(row["net_cost_cash"], True),
            "level 4 family-months": count(row["top_level_family_months"], True),
            "chance it saves money": percent(row["probability_saves_money"]),
        })
    return rows


def sweep_rows(path):
    """A sweep as strings: one row per point, the design's values and the
    means over replicates of the baseline's spend and level 4 demand, and of
    each option's difference in spend."""
    runs = load.sweep(path)
    means = runs.groupby(level="point").mean()
    with h5py.File(path) as f:
        keys = len(f["axes/parameter"])
        options = load._strings(f["axes/scenario"])[1:] if "axes/scenario" in f else []
    rows = []
    for point, row in means.iterrows():
        text = {"point": str(point)}
        for column in means.columns[:keys]:
            text[column] = f"{row[column]:.4g}"
        text["spend"] = pounds(row["spend_nominal"])
        text["level 4 family-months"] = count(row["top_level_family_months"])
        for option in options:
            text[f"{option}: spend change"] = pounds(row[f"{option}_vs_baseline.spend_nominal"], True)
        rows.append(text)
    return rows


def print_rows(rows):
    headers = list(rows[0].keys())
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in headers]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in rows:
        print("  ".join(row[h].ljust(w) for h, w in zip(headers, widths)))


def is_table_csv(path):
    """Whether the file at `path` is a CSV analysis.tables wrote: its first
    line is the header it writes, `option,replicates,` ... `,probability_saves_money`
    (the measures between are the results file's), or for a sweep
    `point,replicate,` ... (the design's keys and the measures)."""
    first = safe_output.head(path, 65536).split(b"\n", 1)[0].rstrip(b"\r")
    return ((first.startswith(b"option,replicates,") and first.endswith(b",probability_saves_money"))
            or first.startswith(b"point,replicate,"))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print the comparison of options in an ehsim results file, or a "
                                                 "sweep's means by point.")
    parser.add_argument("results", help="HDF5 file written by ehsim run with --scenario, or by ehsim sweep")
    parser.add_argument("--csv", metavar="FILE",
                        help="also write the numbers (pounds, unrounded) to this CSV file. An existing FILE is "
                             "replaced only if analysis.tables wrote it (its first line is the header analysis.tables "
                             "writes: option,replicates,...,probability_saves_money), so running again refreshes it "
                             "and any edits made to it are lost; any other file only with --force; never a folder, a "
                             "device or the results file itself. A link is followed: its file is replaced and the link "
                             "kept")
    parser.add_argument("--force", action="store_true",
                        help="replace the --csv FILE even if analysis.tables did not write it, or it is read-only")
    args = parser.parse_args(argv)
    target = None
    if args.csv:
        try:
            target = safe_output.check_target(args.csv, tool="analysis.tables", option="--csv",
                                              inputs=[args.results], force=args.force, is_own=is_table_csv)
        except safe_output.OutputRefused as error:
            print(f"analysis.tables: {error}", file=sys.stderr)
            return 2
    try:
        kind = load.file_format(args.results)
    except load.FileKindError as error:
        print(f"analysis.tables: {error}", file=sys.stderr)
        return 2
    try:
        if kind == load.SWEEP_FORMAT:
            table = load.sweep(args.results)
            print_rows(sweep_rows(args.results))
            print(f"\nMeans over {table.index.get_level_values('replicate').max() + 1} replicates at each point; "
                  "every run's measures are in the CSV (--csv).")
        else:
            table = load.comparisons(args.results)
            if table.empty:
                print(f"{args.results} compares no options (run ehsim with --scenario).")
                return 0
            print_rows(comparison_rows(args.results))
            print(f"\nMeans over {int(table['replicates'].iloc[0])} replicates, each option against the baseline "
                  "with the same random numbers; 95% intervals of the mean in brackets.")
            decision = decision_rows(args.results)
            if decision:
                futures = any(row["future"] != "as planned" for row in decision)
                print("\nEach option under each future, against that future without the option:" if futures
                      else "\nThe options ranked, each against the baseline with the same random numbers:")
                print_rows(decision)
                print("\nNet cost: the change in spend over the horizon, undiscounted, mean over replicates, with the "
                      "5%-95% range of outcomes; in cash: its cashable part. Rank: within each future, by net cost "
                      "per level 4 family-month avoided.")
            pairs = pair_rows(args.results)
            if pairs:
                print("\nThe options against each other, the first less the second, replicate by replicate:")
                print_rows(pairs)
                print("\nThe 5%-95% range of outcomes in brackets; in cash: the cashable part.")
    except (OSError, KeyError) as error:
        print(f"analysis.tables: {args.results}: {error}", file=sys.stderr)
        return 2
    if target:
        try:
            with safe_output.atomic_text(target) as stream:
                table.to_csv(stream)
        except OSError as error:
            print(f"analysis.tables: --csv {args.csv}: cannot write: {error.strerror or error}", file=sys.stderr)
            return 2
        print(f"Written: {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
