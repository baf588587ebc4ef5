"""The comparison of options in the terminal, or as CSV.

    python3 -m analysis.tables RESULTS.h5 [--csv FILE]
"""
import argparse
import sys

from analysis import load
from analysis.money import count, percent, pounds


def comparison_rows(path):
    """The table as strings: one row per option, as a finance officer reads it."""
    table = load.comparisons(path)
    rows = []
    for option, row in table.iterrows():
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


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print the comparison of options in an ehsim results file.")
    parser.add_argument("results", help="HDF5 file written by ehsim run with --scenario")
    parser.add_argument("--csv", help="also write the numbers (pounds, unrounded) to this CSV file")
    args = parser.parse_args(argv)
    try:
        kind = load.file_format(args.results)
    except load.FileKindError as error:
        print(f"analysis.tables: {error}", file=sys.stderr)
        return 2
    if kind != load.RESULTS_FORMAT:
        print(f"analysis.tables: {args.results} is a sweep's results (format {kind!r}): analysis.tables compares the "
              "options of an `ehsim run --scenario` file; see analysis.report for a sweep", file=sys.stderr)
        return 2
    try:
        table = load.comparisons(args.results)
    except (OSError, KeyError) as error:
        print(f"analysis.tables: {args.results}: {error}", file=sys.stderr)
        return 2
    if table.empty:
        print(f"{args.results} compares no options (run ehsim with --scenario).")
        return 0
    rows = comparison_rows(args.results)
    headers = list(rows[0].keys())
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in headers]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in rows:
        print("  ".join(row[h].ljust(w) for h, w in zip(headers, widths)))
    print(f"\nMeans over {int(table['replicates'].iloc[0])} replicates, each option against the baseline with the "
          "same random numbers; 95% intervals in brackets.")
    if args.csv:
        table.to_csv(args.csv)
        print(f"Written: {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
