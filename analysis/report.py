"""The board report: one self-contained HTML file (charts embedded, nothing
fetched) that a board member understands at a glance, with the detail an
analyst checks behind it.

    python3 -m analysis.report RESULTS.h5 -o report.html [--force]

The report is marked as analysis.report's own (GENERATOR in its head), so a
later run replaces it; any other existing file only with --force
(analysis.safe_output has the rules).
"""
import argparse
import base64
import datetime
import html
import io
import math
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.lines  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from analysis import load, safe_output  # noqa: E402
from analysis.money import count, percent, pounds  # noqa: E402

# In the head of every report: how a later run knows the file is its own to replace.
GENERATOR = '<meta name="generator" content="ehsim analysis.report">'
# How reports began before they carried GENERATOR, so that re-running over one
# (scripts/run over an older out/report.html) needs no --force.
EARLIER_OPENING = b"<!DOCTYPE html><html lang=en-GB><head><meta charset=utf-8><title>"
EARLIER_STYLE = b'</title><style>\nbody { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto;'

# One colour per scenario, the same in every chart (the baseline always grey).
PALETTE = ["#4d4d4d", "#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
p.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { padding: 0.35em 0.7em; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f2f2f2; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; }
.sentence { margin: 0.5em 0; } figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
img { max-width: 100%; } pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.note { color: #555; font-size: 0.9em; } td small { white-space: nowrap; }
"""


def colour(index):
    return PALETTE[index % len(PALETTE)]


def figure_html(fig, caption, name):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (f'<figure id="{name}" class="chart"><img alt="{html.escape(caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}</figcaption></figure>')


def pounds_axis(axis, which="y"):
    (axis.xaxis if which == "x" else axis.yaxis).set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: pounds(v)))


def horizon_in_years(path):
    """The run's length in years (months / 12): 10, or 2.5."""
    with h5py.File(path) as f:
        horizon = len(f["axes/month"]) / 12
    return int(horizon) if horizon == int(horizon) else round(horizon, 1)


def year_labels(years):
    return [f"{y}-{(y + 1) % 100:02d}" for y in years]


def sentence(option, description, row, horizon_years, future=False):
    """One plain-English sentence (or two) from the numbers."""
    spend = row["spend_nominal_mean"]
    low, high = row["spend_nominal_ci95_low"], row["spend_nominal_ci95_high"]
    if future:
        direction = "raise spend by" if spend > 0 else "lower spend by"
    else:
        direction = "cost" if spend > 0 else "save"
    text = (f"<b>{html.escape(description)}</b> would {direction} about {pounds(abs(spend))} over {horizon_years} "
            f"years (95% interval of the mean: {pounds(low, True)} to {pounds(high, True)}; "
            f"{pounds(abs(row['spend_discounted_mean']))} in today's money)")
    avoided = -row["top_level_family_months_mean"]
    care = -row["children_in_care_at_end_mean"]
    if avoided > 0:
        text += f", with {count(avoided)} fewer family-months at level 4"
    elif avoided < 0:
        text += f", with {count(-avoided)} more family-months at level 4"
    if round(care) > 0:
        text += f" and {count(care)} fewer children in care at the end"
    elif round(care) < 0:
        text += f" and {count(-care)} more children in care at the end"
    if future:
        return (f'<p class="sentence">{text}: a future, not an option: a change in demand that no one chooses, so '
                'neither an investment nor a saving.</p>')
    text += ". "
    probability = row["probability_saves_money"]
    break_even = row["break_even_month_q50"]
    if probability >= 0.9:
        text += "It is very likely to save money"
    elif probability >= 0.5:
        text += "It is more likely than not to save money"
    elif probability > 0.1:
        text += "It is unlikely to save money"
    else:
        text += "It is very unlikely to save money"
    text += f" ({percent(probability)} of replicates)"
    if break_even >= 0 and spend < 0 and break_even > 0:
        text += f", breaking even after about {break_even / 12:.1f} years"
    own, consequence = row["own_lines_mean"], row["consequence_mean"]
    text += (f"; it {'spends' if own >= 0 else 'cuts'} {pounds(abs(own))} {'more on' if own >= 0 else 'from'} the "
             f"services it changes, and {'saves' if consequence <= 0 else 'costs'} {pounds(abs(consequence))}"
             f"{'' if consequence <= 0 else ' more'} elsewhere")
    ratio = row["return_per_pound_mean"]
    if not math.isnan(ratio):
        text += f": £{ratio:.2f} saved elsewhere for every £1 it spends"
    return f'<p class="sentence">{text}.</p>'


def who_pays(path, descriptions, names):
    """Each option's (and future's) difference from the baseline by who pays,
    in total and in cash (cashable spend), over the horizon, mean over replicates."""
    with h5py.File(path) as f:
        payers = load._strings(f["axes/payer"])
        means = {name: f[f"summary/{name}/mean/monthly/spend_by_payer"][()].sum(axis=0) / 100 for name in names}
    base = means["baseline"]
    rows = []
    for name in names[1:]:
        difference = means[name] - base  # [payer, cashable]
        cells = "".join(f"<td>{pounds(difference[p].sum(), True)}<br><small>cash {pounds(difference[p, 1], True)}"
                        "</small></td>" for p in range(len(payers)))
        rows.append(f"<tr><td>{html.escape(descriptions.get(name, name))}</td>"
                    f"<td>{pounds(difference[:, 1].sum(), True)}</td><td>{pounds(difference[:, 0].sum(), True)}</td>"
                    f"{cells}</tr>")
    if not rows:
        return ""
    heads = "".join(f"<th>{html.escape(p.replace('_', ' '))}</th>" for p in payers)
    return ('<h3>Who pays, in cash and not</h3><table id="who-pays"><thead><tr><th>Scenario</th><th>In cash (cashable)'
            f"</th><th>Not cashable</th>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            '<p class="note">Change in spend against the baseline over the horizon, undiscounted, mean over replicates. '
            "Cashable spend is money a saving releases (placements, contracts); the rest is staff time and shared "
            "services, a saving that frees capacity but no budget.</p>")


def outside_spend(path, descriptions, names):
    """Each option's (and future's) change in costs outside spend against the
    baseline (costs.partners): partners' spend by payer with its cash part,
    lost output and wellbeing, never added together; nothing without lines."""
    if load.partner_costs(path, "baseline").empty:
        return ""
    rows, payers = [], []
    differences = {name: load.partner_differences(path, name, "baseline") for name in names[1:]}
    for difference in differences.values():
        payers += [p for p in difference["by_payer"] if p not in payers]
    for name, difference in differences.items():
        cells = "".join(
            f"<td>{pounds(difference['by_payer'].get(p, (0.0, 0.0))[0], True)}<br><small>cash "
            f"{pounds(difference['by_payer'].get(p, (0.0, 0.0))[1], True)}</small></td>" for p in payers)
        rows.append(f"<tr><td>{html.escape(descriptions.get(name, name))}</td>"
                    f"<td>{pounds(difference['fiscal'], True)}<br><small>cash {pounds(difference['fiscal_cash'], True)}"
                    f"</small></td>{cells}<td>{pounds(difference['economic'], True)}</td>"
                    f"<td>{pounds(difference['social'], True)}</td></tr>")
    if not rows:
        return ""
    heads = "".join(f"<th>{html.escape(p.replace('_', ' '))}</th>" for p in payers)
    lines = load.partner_costs(path, "baseline")
    sources = "".join(f"<li>{html.escape(row['label'])} ({html.escape(row['value'])}"
                      f"{', ' + html.escape(row['payer']) if row['payer'] else ''}): {html.escape(row['source'])}</li>"
                      for _, row in lines.iterrows())
    return ('<h3>Outside spend: partners\' costs, lost output and wellbeing</h3><table id="partners"><thead><tr>'
            f"<th>Scenario</th><th>Partners' costs</th>{heads}<th>Lost output</th><th>Wellbeing</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            '<p class="note">Change against the baseline over the horizon, undiscounted, mean over replicates, in the '
            "price year's prices (real terms; each source's figure converted by costs.price_index). These are not "
            "in the spend above, and the three accounts are never "
            "added: partners' costs are other agencies' spend (fiscal); lost output (economic) and wellbeing "
            "(social) are no one's budget. Only the costs listed are counted, so partners' savings are a lower "
            f"bound.</p><ul class=\"note\">{sources}</ul>")


def family_savings(path, descriptions, names):
    """Family by family: what each option costs for the families its services
    admitted, each against the same family in the baseline."""
    table = load.family_savings(path)
    if table.empty:
        return ""
    rows = []
    for name in names[1:]:
        if name not in table.index:
            continue
        row = table.loc[name]
        rows.append(f"<tr><td>{html.escape(descriptions.get(name, name))}</td>"
                    f"<td>{count(row['helped_families'])}</td><td>{pounds(row['mean'], True)}</td>"
                    f"<td>{pounds(row['mean_cashable'], True)}</td>"
                    f"<td>{pounds(row['q25'], True)} / {pounds(row['q50'], True)} / {pounds(row['q75'], True)}</td>"
                    f"<td>{percent(row['share_cost_more'])}</td></tr>")
    if not rows:
        return ""
    return ('<h3>Family by family</h3><table id="family-savings"><thead><tr><th>Scenario</th>'
            "<th>Families its services admitted, a replicate</th><th>Cost per family</th><th>In cash</th>"
            "<th>Quartiles</th><th>Share that cost more</th></tr></thead><tbody>" + "".join(rows) +
            '</tbody></table><p class="note">Each family the option\'s own services admitted, its cost over the '
            "horizon in the option minus the same family's cost in the baseline, with the same luck: what only a "
            "paired simulation of families can show (negative: a saving). Pooled over replicates; spend only, not "
            "partners' costs.</p>")


def reinvestment(path, descriptions, names):
    """For each option that reinvests: by financial year, the savings it could
    use, what it committed and the places it bought (means over replicates),
    and how many replicates bought any; nothing when none reinvests."""
    parts = []
    with h5py.File(path) as f:
        columns = load._strings(f["axes/reinvestment_column"])
        if "available_pence" not in columns:
            return ""  # a file written before reinvestment recorded what was available
        years = [int(y) for y in f["axes/financial_years"][()]]
        for name in names[1:]:
            mean = f[f"summary/{name}/mean/financial_year/reinvestment"][()]
            if mean.shape[0] == 0:
                continue
            runs = [f[f"{name}/{group}/financial_year/reinvestment"][()] for group in f[name]
                    if group.startswith("replicate_")]
            bought = np.mean([run[:, columns.index("extra_cases")] > 0 for run in runs], axis=0)
            rows = "".join(
                f"<tr><td>{label}</td><td>{pounds(mean[y, columns.index('available_pence')] / 100)}</td>"
                f"<td>{pounds(mean[y, columns.index('reinvested_pence')] / 100)}</td>"
                f"<td>{mean[y, columns.index('extra_cases')]:.1f}</td><td>{percent(bought[y])}</td></tr>"
                for y, label in enumerate(year_labels(years)))
            parts.append(f"<h4>{html.escape(descriptions.get(name, name))}</h4><table class=\"reinvestment\"><thead>"
                         "<tr><th>Year decided</th><th>Savings available</th><th>Committed</th>"
                         "<th>Places bought (for 12 months)</th><th>Replicates that bought</th></tr></thead>"
                         f"<tbody>{rows}</tbody></table>")
    if not parts:
        return ""
    return ('<h3 id="reinvestment">What reinvestment bought</h3>' + "".join(parts) +
            '<p class="note">Means over replicates. A year\'s share of the savings buys places for the next 12 '
            "months after the lag; it buys none that would open after the run, and no more than the service's "
            "waiting list kept busy, so part of what is available can go unspent.</p>")


def first_screen(path, descriptions, names, horizon_years):
    table = load.comparisons(path)
    if table.empty:
        return ('<section id="comparison"><h2>The options</h2><p>This file holds the baseline only: run ehsim with '
                '<code>--scenario</code> to compare options.</p></section>')
    kinds = load.kinds(path)
    decision = decision_table(path, descriptions)
    table = table[~((table["decision_option"] != "") & (table["decision_future"] != ""))]
    futures = [name for name in table.index if kinds.get(name) == "future"]
    future_rows = []
    for option in futures:
        row = table.loc[option]
        future_rows.append(
            "<tr>"
            f"<td>{html.escape(descriptions.get(option, option))}</td>"
            f"<td>{pounds(row['spend_nominal_mean'], True)}</td><td>{pounds(row['spend_discounted_mean'], True)}</td>"
            f"<td>{count(row['children_in_care_at_end_mean'], True)}</td>"
            f"<td>{count(row['top_level_family_months_mean'], True)}</td></tr>")
    future_table = "" if not futures else (
        '<h3>Futures: changes in demand, not options</h3><table id="futures-table"><thead><tr><th>Future</th>'
        "<th>Change in spend</th><th>In today's money (NPV)</th><th>Children in care at the end</th>"
        "<th>Level 4 family-months</th></tr></thead><tbody>" + "".join(future_rows) + "</tbody></table>"
        '<p class="note">A future is a projection of what demand could do: it has no investment and no return.</p>')
    table_options = table.drop(index=futures)
    rows = []
    for option, row in table_options.iterrows():
        swatch = f'<span class="swatch" style="background:{colour(names.index(option))}"></span>'
        ratio = row["return_per_pound_mean"]
        months = row["break_even_month_q50"]
        break_even = "never" if months < 0 else ("at once" if months == 0 else f"after {months / 12:.1f} years")
        rows.append(
            "<tr>"
            f"<td>{swatch}{html.escape(descriptions.get(option, option))}</td>"
            f"<td>{pounds(row['spend_nominal_mean'], True)}<br><small>mean {pounds(row['spend_nominal_ci95_low'], True)}"
            f" to {pounds(row['spend_nominal_ci95_high'], True)}<br>outcomes {pounds(row['spend_nominal_q05'], True)} "
            f"to {pounds(row['spend_nominal_q95'], True)}</small></td>"
            f"<td>{pounds(row['spend_discounted_mean'], True)}<br><small>{pounds(row['spend_discounted_ci95_low'], True)} to "
            f"{pounds(row['spend_discounted_ci95_high'], True)}</small></td>"
            f"<td>{pounds(row.get('net_adjusted_for_optimism_bias_mean', math.nan), True)}</td>"
            f"<td>{count(-row['children_in_care_at_end_mean'])}</td>"
            f"<td>{count(-row['top_level_family_months_mean'])}</td>"
            f"<td>{'–' if math.isnan(ratio) else f'£{ratio:.2f}'}</td>"
            f"<td>{break_even}</td>"
            f"<td>{percent(row['probability_saves_money'])}</td>"
            "</tr>")
    sentences = "".join(sentence(option, descriptions.get(option, option), row, horizon_years,
                                 future=option in futures)
                        for option, row in table.iterrows())
    replicates = int(table["replicates"].iloc[0])
    with h5py.File(path) as f:
        drawn = len(f["uncertainty/parameter"]) if "uncertainty" in f else 0
    uncertainty_note = (f", with {drawn} uncertain parameters drawn afresh for each replicate" if drawn
                        else ", from chance alone: no parameter uncertainty was drawn")
    return f"""<section id="comparison"><h2>The options against the baseline, over {horizon_years} years</h2>
{decision}<table id="comparison-table"><thead><tr><th>Option</th><th>Spend difference</th><th>In today's money (NPV)</th>
<th>Adjusted for optimism bias</th>
<th>Children in care avoided (at the end)</th><th>Level 4 family-months avoided</th><th>Saved elsewhere per £1 it spends</th>
<th>Break-even</th><th>Chance it saves money</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<p class="note">Means over {replicates} replicates; each option meets the same families and the same luck as the
baseline, so the differences are the options' effects, not chance. Small print: "mean" is the 95% interval of
the mean difference (it narrows with more replicates); "outcomes" is the 5%–95% range of the replicates'
differences, what one run of the future could be{uncertainty_note}. Negative spend is a saving. NPV discounts at
the Green Book rate. Adjusted for optimism bias: the Green Book's prudent view, the change on the option's own lines
and the change everywhere else, each raised if a rise and lowered if a saving by the configuration's shares
(costs.optimism_bias_*), never the headline.</p>
{option_pairs(path, descriptions)}{future_table}{who_pays(path, descriptions, names)}{outside_spend(path, descriptions, names)}{family_savings(path, descriptions, names)}{reinvestment(path, descriptions, names)}{sentences}</section>"""


def decision_table(path, descriptions):
    """The options ranked: each as planned and under each future (--future),
    against that future without the option, ranked within each future;
    nothing with fewer than two options and no future."""
    table = load.decision(path)
    # With futures, or with two options or more to rank.
    if table.empty or (not any(future for _, future in table.index) and len(table) < 2):
        return ""
    futures = list(dict.fromkeys(future for _, future in table.index))
    heads = "".join(f"<th>{html.escape(descriptions.get(f, f) if f else 'As planned')}</th>" for f in futures)
    rows = []
    options = list(dict.fromkeys(option for option, _ in table.index))
    # In the order of their rank as planned (the first column).
    options.sort(key=lambda o: table.loc[(o, futures[0]), "rank"] if (o, futures[0]) in table.index else len(options))
    for option in options:
        cells = []
        for future in futures:
            if (option, future) not in table.index:
                cells.append("<td>–</td>")
                continue
            row = table.loc[(option, future)]
            cells.append(
                f"<td><b>#{int(row['rank'])}</b> net {pounds(row['net_cost'], True)}"
                f"<br><small>outcomes {pounds(row['net_cost_q05'], True)} to {pounds(row['net_cost_q95'], True)}"
                f"</small><br>in cash {pounds(row['net_cost_cash'], True)}"
                f"<br>level 4 family-months {count(row['top_level_family_months'], True)}"
                f"<br>children in care at the end {count(row['children_in_care_at_end'], True)}"
                f"<br>chance it saves money {percent(row['probability_saves_money'])}</td>")
        rows.append(f"<tr><td>{html.escape(descriptions.get(option, option))}</td>{''.join(cells)}</tr>")
    title = "Each option under each future" if len(futures) > 1 else "The options ranked"
    return (f'<h3>{title}</h3><table id="decision-table"><thead><tr><th>Option</th>'
            f"{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            '<p class="note">Each option against the same future without it (as planned: the baseline), with the '
            "same families and luck, so the options are ranked against each other too. "
            "Net: the change in spend over the horizon, undiscounted, mean over replicates, with the 5%–95% range of the "
            "replicates' outcomes (what one run of the future could be, not the interval of the mean); in cash: its "
            "cashable part. #: the option's rank within its future by net cost per level 4 family-month "
            "avoided.</p>")


def option_pairs(path, descriptions):
    """Every two options as planned set against each other: nothing with
    fewer than two."""
    table = load.pairs(path)
    if table.empty:
        return ""
    table = table[table["future"] == ""]
    if table.empty:
        return ""
    rows = []
    for (first, second), row in table.iterrows():
        rows.append(
            "<tr>"
            f"<td>{html.escape(descriptions.get(first, first))}</td>"
            f"<td>{html.escape(descriptions.get(second, second))}</td>"
            f"<td>{pounds(row['spend_nominal_mean'], True)}<br><small>outcomes "
            f"{pounds(row['spend_nominal_q05'], True)} to {pounds(row['spend_nominal_q95'], True)}</small></td>"
            f"<td>{pounds(row['cash_spend_mean'], True)}</td>"
            f"<td>{count(row['top_level_family_months_mean'], True)}</td>"
            f"<td>{count(row['children_in_care_at_end_mean'], True)}</td>"
            f"<td>{percent(row['probability_first_costs_less'])}</td></tr>")
    return ('<h3>The options against each other</h3><table id="pairs"><thead><tr><th>This option</th>'
            "<th>against</th><th>Spends</th><th>In cash</th><th>Level 4 family-months</th>"
            "<th>Children in care at the end</th><th>Chance it spends less</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            '<p class="note">The first option less the second, replicate by replicate: both meet the same families '
            "and luck, so the difference is the options', not chance. Spends: the difference in spend over the "
            "horizon, undiscounted (negative: the first spends less), mean over replicates with the 5%–95% range of "
            "outcomes; in cash: its cashable part.</p>")


def fan_charts(path, names):
    """Per level, a fan chart for each scenario: its median with the middle
    50% and 90% of replicates, the baseline's median dashed for reference."""
    parts = []
    with h5py.File(path) as f:
        levels = load._strings(f["axes/level_label"])
        months = load._strings(f["axes/month"])
        x = np.arange(len(months))
        quantiles = {name: f[f"summary/{name}/stock_families_quantiles"][()] for name in names}
    columns = min(4, len(names))
    rows = math.ceil(len(names) / columns)
    for k, level in enumerate(levels):
        fig, grid = plt.subplots(rows, columns, figsize=(4 * columns, 3.0 * rows), sharey=True, squeeze=False)
        fig.subplots_adjust(hspace=0.6, wspace=0.15)
        for extra in range(len(names), rows * columns):
            grid[extra // columns, extra % columns].axis("off")
        for s, name in enumerate(names):
            axis = grid[s // columns, s % columns]
            q = quantiles[name][:, :, k]
            axis.fill_between(x, q[0], q[4], color=colour(s), alpha=0.15, linewidth=0, label="90% of replicates")
            axis.fill_between(x, q[1], q[3], color=colour(s), alpha=0.35, linewidth=0, label="50% of replicates")
            axis.plot(x, q[2], color=colour(s), linewidth=1.8, label="median")
            axis.set_ylim(bottom=0)  # demand drawn from zero, so a change looks its size
            if s > 0:
                axis.plot(x, quantiles[names[0]][2, :, k], color=colour(0), linewidth=1, linestyle="--",
                          label="baseline median")
            axis.set_title(name, fontsize=9, color=colour(s))
            axis.set_xticks(x[::24], [months[i] for i in x[::24]], rotation=45, fontsize=7)
            if s % columns == 0:
                axis.set_ylabel("families")
        grid[0, min(1, len(names) - 1)].legend(fontsize=7)
        parts.append(figure_html(fig, f"Projected demand, {level}: families at this level by month in each scenario. "
                                      "Line: median over replicates; shading: the middle 50% and 90% of replicates; "
                                      "dashed: the baseline's median.", f"fan-charts-{k + 1}"))
    return "".join(parts)


def spend_charts(path, names):
    parts = []
    with h5py.File(path) as f:
        years = [int(y) for y in f["axes/financial_years"][()]]
        levels = load._strings(f["axes/level_label"])
        columns = min(4, len(names))
        rows = math.ceil(len(names) / columns)
        fig, grid = plt.subplots(rows, columns, figsize=(4 * columns, 3.6 * rows), sharey=True, squeeze=False)
        fig.subplots_adjust(hspace=0.6)
        for extra in range(len(names), rows * columns):
            grid[extra // columns, extra % columns].axis("off")
        axes = grid.reshape(1, -1)
        for s, name in enumerate(names):
            spend = f[f"summary/{name}/mean/financial_year/spend_by_level"][()] / 100
            bottom = np.zeros(len(years))
            for k in range(len(levels)):
                axes[0, s].bar(year_labels(years), spend[:, k], bottom=bottom, label=levels[k],
                               color=plt.cm.Blues(0.35 + 0.6 * k / max(1, len(levels) - 1)))
                bottom += spend[:, k]
            axes[0, s].set_title(name, color=colour(s))
            axes[0, s].tick_params(axis="x", rotation=60, labelsize=7)
            pounds_axis(axes[0, s])
        axes[0, 0].set_ylabel("£ a year")
        axes[0, 0].legend(fontsize=7)
        parts.append(figure_html(fig, "Spend per financial year by level of need (mean over replicates).",
                                 "spend-by-level"))
        services = load._strings(f[f"{names[0]}/axes/service_label"])
        by_service = f[f"summary/{names[0]}/mean/financial_year/spend_by_service"][()] / 100
        fig, axis = plt.subplots(figsize=(10, 4))
        bottom = np.zeros(len(years))
        for j, service in enumerate(services):
            axis.bar(year_labels(years), by_service[:, j], bottom=bottom, label=service,
                     color=plt.cm.tab20(j % 20))
            bottom += by_service[:, j]
        axis.set_ylabel("£ a year")
        pounds_axis(axis)
        axis.tick_params(axis="x", rotation=45)
        axis.legend(fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
        parts.append(figure_html(fig, f"Spend per financial year by service, {names[0]} (mean over replicates).",
                                 "spend-by-service"))
    if len(names) > 1:
        parts.append(spend_change_by_service(path, names, horizon_in_years(path)))
    return "".join(parts)


def spend_change_by_service(path, names, years):
    """Where each option's money goes: its spend on each service over the
    horizon less the baseline's, matched by service name (an option may add a
    service the baseline lacks)."""
    totals = load.spend_by_service_over_horizon(path)
    labels = load.service_labels(path)
    change = totals.loc[names[1:]] - totals.loc[names[0]]
    largest = change.abs().max(axis=0)
    # Services whose change is under 1% of the largest (or under £1) are left out.
    keys = [k for k in change.columns if largest[k] >= max(1.0, 0.01 * largest.max())]
    if not keys:
        return "<p class=note>No option changes the spend on any service.</p>"
    height = 0.8 / len(change)
    fig, axis = plt.subplots(figsize=(10, 0.3 * len(keys) * max(1, len(change) / 2) + 1.2))
    y = np.arange(len(keys))
    for s, name in enumerate(names[1:], start=1):
        axis.barh(y + (s - 1) * height - 0.4 + height / 2, change.loc[name, keys], height=height, color=colour(s),
                  label=name)
    axis.axvline(0, color="#333", linewidth=0.8)
    axis.set_yticks(y, [labels.get(k, k) for k in keys], fontsize=8)
    axis.invert_yaxis()
    pounds_axis(axis, "x")
    axis.set_xlabel(f"£ over {years} years, option less baseline")
    axis.legend(fontsize=7, loc="best")
    return figure_html(fig, f"Change in spend by service over {years} years, each option against the baseline "
                            "(undiscounted; mean over replicates): where the investment goes and where the savings fall. "
                            "Services whose change is under 1% of the largest are left out.",
                       "spend-change-by-service")


def service_charts(path, names):
    """Caseload against capacity, and waiting, per service: one panel per
    service (matched by name across scenarios), a colour per scenario."""
    with h5py.File(path) as f:
        months = load._strings(f["axes/month"])
        x = np.arange(len(months))
        series = {}  # service key -> (label, kind, {scenario: {dataset: mean}})
        for name in names:
            keys = load._strings(f[f"{name}/axes/service"])
            labels = load._strings(f[f"{name}/axes/service_label"])
            kinds = load._strings(f[f"{name}/axes/service_kind"])
            mean = {d: f[f"summary/{name}/mean/monthly/{d}"][()]
                    for d in ("service_caseload", "service_capacity", "service_waiting")}
            for j, key in enumerate(keys):
                entry = series.setdefault(key, (labels[j], kinds[j], {}))
                entry[2][name] = {d: values[:, j] for d, values in mean.items()}
        columns = 3
        rows = math.ceil(len(series) / columns)
        fig, axes = plt.subplots(rows, columns, figsize=(13, 3.2 * rows), squeeze=False)
        fig.subplots_adjust(hspace=0.65, wspace=0.3)
        for j, (label, kind, by_scenario) in enumerate(series.values()):
            axis = axes[j // columns, j % columns]
            statutory = kind in ("children_in_need", "child_protection", "children_in_care")
            for s, name in enumerate(names):
                if name not in by_scenario:
                    continue
                mean = by_scenario[name]
                axis.plot(x, mean["service_caseload"], color=colour(s), linewidth=1.4)
                if not statutory:
                    axis.plot(x, mean["service_capacity"], color=colour(s), linestyle="--", linewidth=1)
                if mean["service_waiting"].any():
                    axis.plot(x, mean["service_waiting"], color=colour(s), linestyle=":", linewidth=1.2)
            axis.set_title(label, fontsize=9)
            axis.set_ylim(bottom=0)
            axis.set_ylabel("families", fontsize=8)
            axis.set_xticks(x[::24], [months[i] for i in x[::24]], fontsize=7, rotation=45)
        for j in range(len(series), rows * columns):
            axes[j // columns, j % columns].axis("off")
        handles = [matplotlib.lines.Line2D([], [], color="#333", linestyle=style, label=text)
                   for style, text in (("-", "open cases"), ("--", "capacity"), (":", "waiting"))]
        handles += [matplotlib.lines.Line2D([], [], color=colour(s), linewidth=4, label=name)
                    for s, name in enumerate(names)]
        fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 5), fontsize=8, frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
        fig.subplots_adjust(bottom=0.05 + 0.1 / rows + 0.025 * math.ceil(len(handles) / 5))
    return figure_html(fig, "Caseload (solid) against capacity (dashed), and waiting lists (dotted), per service: a "
                            "colour per scenario, mean over replicates. Statutory services take every case routed to "
                            "them, so have no capacity line.", "services")


def dashboard_charts(path, names):
    with h5py.File(path) as f:
        columns = load._strings(f["axes/indicator"])
        years = [int(y) for y in f["axes/financial_years"][()]]
        panels = [
            ("Referrals to early help", ["referrals_to_early_help"], "referrals a year"),
            ("Referrals to social care", ["referrals_to_social_care"], "referrals a year"),
            ("No further action", ["referrals_no_further_action"], "referrals a year"),
            ("Early help assessments, direct", ["early_help_assessments_direct"], "assessments a year"),
            ("Early help assessments, stepped down", ["early_help_assessments_stepped_down"], "assessments a year"),
            ("Re-referral rate", ["re_referrals", "referrals"], "share of referrals"),
            ("Early help closures: needs met", ["early_help_closures_needs_met"], "closures a year"),
            ("Early help closures: stepped up", ["early_help_closures_stepped_up"], "closures a year"),
            ("Early help closures: other", ["early_help_closures_other"], "closures a year"),
        ]
        fig, axes = plt.subplots(3, 3, figsize=(13, 9), squeeze=False)
        fig.subplots_adjust(hspace=0.75, wspace=0.35)
        for p, (title, keys, unit) in enumerate(panels):
            axis = axes[p // 3, p % 3]
            for s, name in enumerate(names):
                yearly = f[f"summary/{name}/mean/financial_year/indicators"][()]
                values = yearly[:, columns.index(keys[0])]
                if len(keys) == 2:
                    values = values / np.maximum(1, yearly[:, columns.index(keys[1])])
                axis.plot(year_labels(years), values, color=colour(s), marker="o", markersize=3, label=name)
            axis.set_ylim(bottom=0)
            axis.set_title(title, fontsize=10)
            axis.set_ylabel(unit, fontsize=8)
            axis.tick_params(axis="x", rotation=60, labelsize=7)
            if "rate" in title:
                axis.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        axes[0, 0].legend(fontsize=7)
    return figure_html(fig, "The authorities' dashboard by financial year (mean over replicates): referral routes, "
                            "early help assessments direct and stepped down from social care, the re-referral rate, "
                            "and early help closures by outcome.", "dashboard")


def assumptions(path, names, descriptions):
    meta = load.metadata(path)
    parts = [f"""<section id="assumptions"><h2>Assumptions and provenance</h2>
<p>Seed {meta.get('seed')}; ehsim {html.escape(str(meta.get('ehsim_version')))} (git
{html.escape(str(meta.get('git_revision')))}); results written {html.escape(str(meta.get('created_utc')))};
report written {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}.</p>
<p>Command: <code>{html.escape(str(meta.get('command_line')))}</code></p>
<p>The sources of the figures this report rests on (discounting, optimism bias, partners' costs, unit costs, the
national figures and the services' effects) are listed in <code>docs/sources.md</code> of the ehsim repository; each
number's own source is in the comment beside it in the configuration below.</p>"""]
    with h5py.File(path) as f:
        for name in names:
            key = f"config/source/{name}"
            if key not in f:
                continue
            text = f[key][()]
            text = text.decode() if isinstance(text, bytes) else text
            if name == names[0]:
                parts.append(f"<h3>{html.escape(descriptions.get(name, name))}</h3><p class=note>The base "
                             "configuration: every number's source is in its comment.</p><details><summary>Show the "
                             f"configuration</summary><pre>{html.escape(text)}</pre></details>")
            else:
                parts.append(f"<h3>{html.escape(descriptions.get(name, name))} (<code>{html.escape(name)}</code>)</h3>"
                             f"<pre>{html.escape(text)}</pre>")
        if "uncertainty" in f:
            keys = load._strings(f["uncertainty/parameter"])
            parts.append("<p>Drawn for each replicate (parameter uncertainty): " +
                         ", ".join(f"<code>{html.escape(k)}</code>" for k in keys) + ".</p>")
    parts.append("</section>")
    return "".join(parts)


def sweep_report(path):
    with h5py.File(path) as f:
        parameters = load._strings(f["axes/parameter"])
        measures = load._strings(f["axes/measure"])
        design = f["design/points"][()]
        mean = f["runs/mean"][()]
        parts = [f"<h1>ehsim sweep: {html.escape(str(f.attrs['design']))} design</h1>"
                 f"<p class=lead>{design.shape[0]} points × {f['runs/measures'].shape[1]} replicates</p>"]
        if "sensitivity/morris" in f:
            mu_star = f["sensitivity/morris/mu_star"][()]
            sigma = f["sensitivity/morris/sigma"][()]
            fig, axes = plt.subplots(1, 2, figsize=(12, 0.6 * len(parameters) + 1.5))
            for axis, measure, scale, unit in ((axes[0], "spend_nominal", 100, "£"),
                                               (axes[1], "top_level_family_months", 1, "family-months")):
                j = measures.index(measure)
                order = np.argsort(mu_star[:, j])
                axis.barh([parameters[i] for i in order], mu_star[order, j] / scale, color="#1f77b4", label="μ*")
                axis.errorbar(mu_star[order, j] / scale, range(len(order)), xerr=sigma[order, j] / scale, fmt="none",
                              ecolor="#333", capsize=3, label="σ")
                axis.set_title(f"{measure.replace('_', ' ')} ({unit} per range)", fontsize=10)
                if unit == "£":
                    axis.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: pounds(v)))
            axes[0].legend(fontsize=8)
            parts.append("<section id=tornado><h2>Which parameters matter (Morris)</h2>" +
                         figure_html(fig, "Tornado chart: Morris μ* (bars, mean absolute effect of moving the "
                                          "parameter across its range) and σ (lines, how much the effect depends on "
                                          "the others).", "tornado") + "</section>")
        for kind in ("morris", "sobol"):
            if f"sensitivity/{kind}/converged" in f:
                settled = f[f"sensitivity/{kind}/converged"][()]
                unsettled = [measures[j].replace("_", " ") for j in range(len(measures)) if not settled[j]]
                if unsettled:
                    parts.append(f"<p class=note id=unconverged>Not converged: the {kind} indices of "
                                 f"{html.escape(', '.join(unsettled))} have wide intervals, so their ranking may "
                                 "change with more points or replicates.</p>")
        if "sensitivity/sobol" in f:
            first = f["sensitivity/sobol/first_order"][()]
            total = f["sensitivity/sobol/total"][()]
            j = measures.index("spend_nominal")
            rows = "".join(f"<tr><td>{html.escape(p)}</td><td>{first[i, j]:.2f}</td><td>{total[i, j]:.2f}</td></tr>"
                           for i, p in enumerate(parameters))
            parts.append("<section id=sobol><h2>Sobol indices (spend)</h2><table><thead><tr><th>Parameter</th>"
                         f"<th>First order</th><th>Total</th></tr></thead><tbody>{rows}</tbody></table></section>")
        header = "".join(f"<th>{html.escape(p)}</th>" for p in parameters)
        options = load._strings(f["axes/scenario"])[1:] if "axes/scenario" in f else []
        header += "<th>Spend (mean)</th><th>Level 4 family-months</th>" + "".join(
            f"<th>{html.escape(o)}: spend change</th>" for o in options)
        changes = [f[f"options/{o}/differences_mean"][()] for o in options]
        spend_column = load._strings(f["axes/comparison_measure"]).index("spend_nominal") if options else 0
        rows = "".join("<tr><td>" + str(i) + "</td>" + "".join(f"<td>{v:.4g}</td>" for v in point) +
                       f"<td>{pounds(mean[i, measures.index('spend_nominal')] / 100)}</td>"
                       f"<td>{count(mean[i, measures.index('top_level_family_months')])}</td>" +
                       "".join(f"<td>{pounds(change[i, spend_column] / 100, True)}</td>" for change in changes) +
                       "</tr>"
                       for i, point in enumerate(design))
        parts.append(f"<section id=design><h2>The design</h2><table id=design-table><thead><tr><th>Point</th>{header}"
                     f"</tr></thead><tbody>{rows}</tbody></table></section>")
    return "".join(parts)


def build(path):
    if load.file_format(path) == load.SWEEP_FORMAT:
        body = sweep_report(path)
        title = "ehsim sweep report"
    else:
        # An option under a future is in the decision table; the charts show the baseline, options and futures.
        compared = load.comparisons(path)
        under = set() if compared.empty else set(
            compared.index[(compared["decision_option"] != "") & (compared["decision_future"] != "")])
        names = [name for name in load.scenarios(path) if name not in under]
        descriptions = load.descriptions(path)
        horizon_years = horizon_in_years(path)
        title = f"{descriptions.get('baseline', 'ehsim')}: commissioning options"
        legend = " ".join(f'<span class="swatch" style="background:{colour(i)}"></span>'
                          f"{html.escape(descriptions.get(n, n))}" for i, n in enumerate(names))
        body = (f"<h1>{html.escape(title)}</h1><p class=lead>What each option does to demand and spend over "
                f"{horizon_years} years, and how sure we are. Scenarios: {legend}</p>"
                + first_screen(path, descriptions, names, horizon_years)
                + "<section id=demand><h2>Projected demand</h2>" + fan_charts(path, names) + "</section>"
                + "<section id=spend><h2>Spend</h2>" + spend_charts(path, names) + "</section>"
                + "<section id=services><h2>Services: capacity and waiting</h2>" + service_charts(path, names)
                + "</section>"
                + "<section id=dashboard-section><h2>The dashboard</h2>" + dashboard_charts(path, names) + "</section>"
                + assumptions(path, names, descriptions))
    return (f"<!DOCTYPE html><html lang=en-GB><head><meta charset=utf-8>{GENERATOR}<title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def is_report(path):
    """Whether the file at `path` is a report analysis.report wrote: GENERATOR
    in its first 4 KB, or the opening reports had before they carried it."""
    start = safe_output.head(path, 4096)
    return GENERATOR.encode() in start or (start.startswith(EARLIER_OPENING) and EARLIER_STYLE in start)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the board report for an ehsim results or sweep file.")
    parser.add_argument("results", help="HDF5 file written by ehsim run or ehsim sweep")
    parser.add_argument("-o", "--out", default="report.html",
                        help="the HTML file to write. An existing file is replaced only if it is a report "
                             "analysis.report wrote (so running again refreshes it), otherwise only with --force; "
                             "never a folder, a device or the results file itself. A link is followed: its file is "
                             "replaced and the link kept")
    parser.add_argument("--force", action="store_true",
                        help="replace --out even if it is a file analysis.report did not write, or is read-only")
    args = parser.parse_args(argv)
    try:
        target = safe_output.check_target(args.out, tool="analysis.report", option="-o", inputs=[args.results],
                                          force=args.force, is_own=is_report)
    except safe_output.OutputRefused as error:
        print(f"analysis.report: {error}", file=sys.stderr)
        return 2
    try:
        text = build(args.results)
    except load.FileKindError as error:
        print(f"analysis.report: {error}", file=sys.stderr)
        return 2
    except (OSError, KeyError) as error:
        print(f"analysis.report: {args.results}: {error}", file=sys.stderr)
        return 2
    try:
        with safe_output.atomic_text(target) as stream:
            stream.write(text)
    except OSError as error:
        print(f"analysis.report: -o {args.out}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"Report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
