"""pandas DataFrames from an ehsim results file (layout: docs/output.md).

monthly(path, name)   one row per scenario, replicate and month; columns are
                      the dataset's last axis (levels, services, ...), or a
                      MultiIndex for three-axis datasets
yearly(path, name)    the same for financial_year/ datasets
comparisons(path)     one row per option: headline differences, their 95%
                      intervals and the probability the option saves money
pairs(path)           one row per two options: first minus second, replicate
                      by replicate, and the chance the first spends less
summary(path)         one row per scenario: headline measures, mean over replicates
sweep(path)           one row per run of a sweep: the design's values, the
                      baseline's measures and each option's differences
metadata(path)        the run's attributes: seed, version, command line, scenarios
file_format(path)     which of ehsim's files `path` is, or FileKindError saying what it is instead
"""
import os

import h5py
import numpy as np
import pandas as pd

PENCE = 100.0
RESULTS_FORMAT = "ehsim results 1"  # ehsim run
SWEEP_FORMAT = "ehsim sweep 1"      # ehsim sweep and ehsim merge


class FileKindError(Exception):
    """The file is not one the caller reads; str() is a one-line message naming it."""


def file_format(path):
    """The root attribute "format" of an ehsim file (RESULTS_FORMAT or
    SWEEP_FORMAT). Raises FileKindError, with a one-line message, for a path
    that does not exist, a folder, a file that is not HDF5, HDF5 that ehsim
    did not write, or a layout this package does not read."""
    if not os.path.lexists(path):
        raise FileKindError(f"{path} does not exist")
    if os.path.isdir(path):
        raise FileKindError(f"{path} is a folder, not a results file")
    try:
        with h5py.File(path, "r") as f:
            kind = f.attrs.get("format")
    except OSError as error:
        try:
            open(path, "rb").close()
        except OSError as unreadable:
            raise FileKindError(f"{path} cannot be read: {unreadable.strerror}") from None
        if not h5py.is_hdf5(path):
            raise FileKindError(f"{path} is not an HDF5 file") from None
        raise FileKindError(f"{path} cannot be read as HDF5: {' '.join(str(error).split())}") from None
    if kind is None:
        raise FileKindError(f"{path} is not an ehsim results file (no 'format' attribute)")
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    if kind not in (RESULTS_FORMAT, SWEEP_FORMAT):
        raise FileKindError(f"{path} is not a file this version of analysis reads (format {kind!r}; it reads "
                            f"{RESULTS_FORMAT!r} and {SWEEP_FORMAT!r})")
    return kind


def _strings(dataset):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in dataset[()]]


def metadata(path):
    with h5py.File(path) as f:
        found = {key: (value.decode() if isinstance(value, bytes) else value) for key, value in f.attrs.items()}
        found["scenarios"] = [str(s) for s in f.attrs.get("scenarios", [])]
    return found


def scenarios(path):
    return metadata(path)["scenarios"]


def _axis_labels(f, scenario, dims):
    """Labels of each axis after the first: the scenario's own services, else /axes/<dim>."""
    labels = []
    for dim in dims:
        if dim == "service" and f"{scenario}/axes/service" in f:
            labels.append(_strings(f[f"{scenario}/axes/service"]))
        elif dim == "level" or dim in ("from_level", "to_level"):
            labels.append(_strings(f["axes/level"]))
        elif f"axes/{dim}" in f:
            labels.append(_strings(f[f"axes/{dim}"]))
        else:
            labels.append(None)
    return labels


def _frame(path, group, name, row_axis):
    frames = []
    with h5py.File(path) as f:
        rows_labels = _strings(f[f"axes/{row_axis}"]) if row_axis == "month" else [int(y) for y in f["axes/financial_years"][()]]
        for scenario in [str(s) for s in f.attrs["scenarios"]]:
            for replicate_name in sorted(k for k in f[scenario] if k.startswith("replicate_")):
                dataset = f[f"{scenario}/{replicate_name}/{group}/{name}"]
                values = dataset[()]
                dims = [d.decode() if isinstance(d, bytes) else d for d in dataset.attrs.get("dims", [])]
                labels = _axis_labels(f, scenario, dims[1:])
                if values.ndim == 1:
                    columns = ["value"]
                    data = values.reshape(-1, 1)
                elif values.ndim == 2:
                    columns = labels[0] if labels and labels[0] and len(labels[0]) == values.shape[1] else list(range(values.shape[1]))
                    data = values
                else:
                    first = labels[0] if labels[0] and len(labels[0]) == values.shape[1] else list(range(values.shape[1]))
                    second = labels[1] if labels[1] and len(labels[1]) == values.shape[2] else list(range(values.shape[2]))
                    columns = pd.MultiIndex.from_product([first, second])
                    data = values.reshape(values.shape[0], -1)
                frame = pd.DataFrame(data, columns=columns)
                frame.insert(0, row_axis, rows_labels[: len(frame)])
                frame.insert(0, "replicate", int(dataset.parent.parent.attrs.get("replicate", replicate_name[-4:])))
                frame.insert(0, "scenario", scenario)
                frames.append(frame)
    return pd.concat(frames, ignore_index=True).set_index(["scenario", "replicate", row_axis])


def monthly(path, name):
    """A monthly/ dataset (e.g. "stock_families") for every scenario and replicate."""
    return _frame(path, "monthly", name, "month")


def yearly(path, name):
    """A financial_year/ dataset (e.g. "spend_by_level", "indicators") for every scenario and replicate."""
    return _frame(path, "financial_year", name, "financial_year")


def spend_by_service_over_horizon(path):
    """Each scenario's spend on each service over the whole horizon, in pounds,
    mean over replicates: one row per scenario, one column per service (by
    name, in the order first met); 0 where a scenario lacks the service."""
    rows = {}
    with h5py.File(path) as f:
        for scenario in [str(s) for s in f.attrs["scenarios"]]:
            keys = _strings(f[f"{scenario}/axes/service"]) if f"{scenario}/axes/service" in f else []
            totals = f[f"summary/{scenario}/mean/monthly/spend_by_service"][()].sum(axis=0) if keys else []
            rows[scenario] = dict(zip(keys, totals))
    return pd.DataFrame.from_dict(rows, orient="index").fillna(0) / PENCE


def service_labels(path):
    """Each service's label, by name, over every scenario."""
    labels = {}
    with h5py.File(path) as f:
        for scenario in [str(s) for s in f.attrs["scenarios"]]:
            if f"{scenario}/axes/service" in f:
                labels.update(zip(_strings(f[f"{scenario}/axes/service"]), _strings(f[f"{scenario}/axes/service_label"])))
    return labels


def summary(path):
    """Headline measures of each scenario, mean over replicates (spend in pounds)."""
    rows = []
    with h5py.File(path) as f:
        measures = _strings(f["axes/measure"])
        units = _strings(f["axes/measure_unit"])
        statistics = _strings(f["axes/statistic"])
        for scenario in [str(s) for s in f.attrs["scenarios"]]:
            stats = f[f"summary/{scenario}/measure_statistics"][()]
            row = {"scenario": scenario}
            for j, measure in enumerate(measures):
                value = stats[statistics.index("mean"), j]
                row[measure] = value / PENCE if _money(units[j]) else value
            rows.append(row)
    return pd.DataFrame(rows).set_index("scenario")


def _attribute(group, name):
    value = group.attrs.get(name, "")
    return value.decode() if isinstance(value, bytes) else str(value)


def comparisons(path):
    """One row per scenario against the one it is compared with (`baseline`:
    the baseline, or for an option under a future, that future): the mean
    difference of each headline measure with the 95% interval of the mean and
    the 5%-95% range of outcomes (spend in pounds), and the chance the option
    saves money. `decision_option` and `decision_future` place the row in the
    decision table (empty future: as planned; empty option: a future alone)."""
    rows = []
    with h5py.File(path) as f:
        if "comparisons" not in f:
            return pd.DataFrame()
        for name in f["comparisons"]:
            group = f[f"comparisons/{name}"]
            row = {"option": _attribute(group, "option"), "replicates": int(group["differences"].shape[0])}
            row.update(_statistics_of(f, group, "comparison_measure",
                                      ("mean", "ci95_low", "ci95_high", "q05", "q50", "q95")))
            row["baseline"] = _attribute(group, "baseline")
            row["decision_option"] = _attribute(group, "decision_option")
            row["decision_future"] = _attribute(group, "decision_future")
            row["probability_saves_money"] = row.pop("saves_money_mean")
            rows.append(row)
    return pd.DataFrame(rows).set_index("option")


def payer_differences(path, scenario, baseline):
    """A scenario's spend minus the one it is compared with, over the horizon,
    mean over replicates, in pounds: [payer, (not cashable, cashable)]."""
    with h5py.File(path) as f:
        mean = {name: f[f"summary/{name}/mean/monthly/spend_by_payer"][()].sum(axis=0) / PENCE
                for name in (scenario, baseline)}
    return mean[scenario] - mean[baseline]


def family_savings(path):
    """Family by family, for each scenario compared with another: over the
    families its own services admitted, each family's cost in the scenario
    minus the same family's cost in the run it is compared with (pounds;
    negative: a saving): families a replicate, mean, quartiles, the share that
    cost more, and the mean cashable part. Empty when the file has none."""
    rows = []
    with h5py.File(path) as f:
        if "comparisons" not in f or "axes/family_column" not in f:
            return pd.DataFrame()
        columns = _strings(f["axes/family_column"])
        for name in f["comparisons"]:
            group = f[f"comparisons/{name}"]
            if "family_differences_pooled" not in group:
                continue
            pooled = group["family_differences_pooled"][()]
            by_payer = group["family_differences_by_payer"][()]
            row = {"option": _attribute(group, "option")}
            for j, column in enumerate(columns):
                row[column] = pooled[j] / PENCE if column in ("mean", "q25", "q50", "q75", "all_families") else pooled[j]
            row["mean_cashable"] = by_payer[:, :, 1].sum(axis=1).mean() / PENCE if by_payer.size else np.nan
            rows.append(row)
    return pd.DataFrame(rows).set_index("option") if rows else pd.DataFrame()


def partner_costs(path, scenario):
    """A scenario's costs outside spend (costs.partners), over the horizon,
    mean over replicates, in pounds: one row per line with its label, what it
    is charged on (basis, and the theme or level it names), value (fiscal,
    economic or social), payer, cashable and source. Empty for a file without
    partners' costs."""
    with h5py.File(path) as f:
        axes = f"{scenario}/axes"
        if f"{axes}/partner_cost" not in f:
            return pd.DataFrame(columns=["label", "basis", "charged_on", "value", "payer", "cashable", "source",
                                         "pounds"])
        names = _strings(f[f"{axes}/partner_cost"])
        frame = pd.DataFrame({
            "label": _strings(f[f"{axes}/partner_cost_label"]),
            "basis": _strings(f[f"{axes}/partner_cost_basis"]),
            "charged_on": _strings(f[f"{axes}/partner_cost_charged_on"]),
            "value": _strings(f[f"{axes}/partner_cost_value"]),
            "payer": _strings(f[f"{axes}/partner_cost_payer"]),
            "cashable": [c == "cashable" for c in _strings(f[f"{axes}/partner_cost_cashable"])],
            "source": _strings(f[f"{axes}/partner_cost_source"]),
            "pounds": (f[f"summary/{scenario}/mean/monthly/partner_costs"][()].sum(axis=0) / PENCE
                       if names else np.zeros(0)),
        }, index=pd.Index(names, name="line"))
    return frame


def partner_differences(path, scenario, baseline):
    """What a scenario changes outside spend against the one it is compared
    with, in pounds, mean over replicates: partners' spend by payer (total and
    cashable), and lost output and wellbeing, each apart. Lines are matched
    by name."""
    a, b = partner_costs(path, scenario), partner_costs(path, baseline)
    lines = pd.concat([a.assign(pounds=a["pounds"]), b.assign(pounds=-b["pounds"])])
    fiscal = lines[lines["value"] == "fiscal"]
    by_payer = {payer: (group["pounds"].sum(), group.loc[group["cashable"], "pounds"].sum())
                for payer, group in fiscal.groupby("payer", sort=False)}
    return {"by_payer": by_payer,
            "fiscal": fiscal["pounds"].sum(), "fiscal_cash": fiscal.loc[fiscal["cashable"], "pounds"].sum(),
            "economic": lines.loc[lines["value"] == "economic", "pounds"].sum(),
            "social": lines.loc[lines["value"] == "social", "pounds"].sum()}


def decision(path):
    """The decision table: one row per option and future it runs under ("" as
    planned), each against that future without the option with the same random
    numbers: net cost over the horizon (mean, 5%-95% range of outcomes), its
    cashable part, level 4 family-months and children in care at the end
    (differences), the chance it saves money, and the option's rank within its
    future by net cost per level 4 family-month avoided (1 best; options that
    avoid none rank after those that do). Empty without options."""
    table = comparisons(path)
    if table.empty:
        return pd.DataFrame()
    kinds_of = kinds(path)
    rows = []
    for name, row in table.iterrows():
        if not row["decision_option"] or kinds_of.get(name) == "future":
            continue
        avoided = -row["top_level_family_months_mean"]
        rows.append({
            "option": row["decision_option"], "future": row["decision_future"], "scenario": name,
            "net_cost": row["spend_nominal_mean"], "net_cost_q05": row["spend_nominal_q05"],
            "net_cost_q95": row["spend_nominal_q95"],
            "net_cost_cash": payer_differences(path, name, row["baseline"])[:, 1].sum(),
            "top_level_family_months": row["top_level_family_months_mean"],
            "children_in_care_at_end": row["children_in_care_at_end_mean"],
            "probability_saves_money": row["probability_saves_money"],
            "net_cost_per_month_avoided": row["spend_nominal_mean"] / avoided if avoided > 0 else np.nan,
        })
    if not rows:
        return pd.DataFrame()
    order = {name: i for i, name in enumerate(scenarios(path))}
    rows.sort(key=lambda r: (order.get(r["option"], len(order)), -1 if not r["future"] else order.get(r["future"], 0)))
    frame = pd.DataFrame(rows)
    frame["rank"] = 0
    for _, group in frame.groupby("future", sort=False):
        ordered = sorted(group.index, key=lambda i: (np.isnan(frame.at[i, "net_cost_per_month_avoided"]),
                                                     frame.at[i, "net_cost_per_month_avoided"]))
        for rank, i in enumerate(ordered, start=1):
            frame.at[i, "rank"] = rank
    return frame.set_index(["option", "future"])


def pairs(path):
    """Every two options compared with the same scenario (the baseline, or the
    same future), set against each other replicate by replicate with the same
    random numbers: one row per pair, first minus second, with the mean and
    5%-95% range of outcomes of the net cost, its cashable part, level 4
    family-months and children in care at the end, and the chance the first
    spends less. Money in pounds. Empty without two options."""
    rows = []
    with h5py.File(path) as f:
        if "pairs" not in f:
            return pd.DataFrame()
        for name in f["pairs"]:
            group = f[f"pairs/{name}"]
            row = {"first": _attribute(group, "first"), "second": _attribute(group, "second"),
                   "first_option": _attribute(group, "first_option"),
                   "second_option": _attribute(group, "second_option"),
                   "future": _attribute(group, "decision_future"), "replicates": int(group["differences"].shape[0])}
            row.update(_statistics_of(f, group, "pair_measure", ("mean", "q05", "q95")))
            row["probability_first_costs_less"] = row["first_costs_less_mean"]
            rows.append(row)
    if not rows:
        return pd.DataFrame()
    order = {name: i for i, name in enumerate(scenarios(path))}
    rows.sort(key=lambda r: (order.get(r["first"], 0), order.get(r["second"], 0)))
    return pd.DataFrame(rows).set_index(["first", "second"])


def _statistics_of(f, group, axis, wanted):
    """A group's statistics dataset as `{column}_{statistic}` values, its
    columns named by /axes/<axis> and money turned into pounds."""
    columns = _strings(f[f"axes/{axis}"])
    units = _strings(f[f"axes/{axis}_unit"])
    statistics = _strings(f["axes/statistic"])
    stats = group["statistics"][()]
    return {f"{column}_{statistic}": stats[statistics.index(statistic), j] / (PENCE if _money(units[j]) else 1.0)
            for j, column in enumerate(columns) for statistic in wanted}


def _money(unit):
    return unit == "pence"


def sweep(path):
    """Every run of a sweep, one row per (point, replicate): the design's value
    of each swept key (named by the key, or `option:key` for a key set in one
    option), the baseline's headline measures, and for each option its
    measures (`option.measure`) and its paired differences from the baseline
    (`option_vs_baseline.measure`). Money is in pounds."""
    with h5py.File(path) as f:
        keys = _strings(f["axes/parameter"])
        targets = _strings(f["axes/parameter_scenario"]) if "axes/parameter_scenario" in f else [""] * len(keys)
        names = _strings(f["axes/measure"])
        units = _strings(f["axes/measure_unit"])
        design = f["design/points"][()]
        baseline = f["runs/measures"][()]
        points, replicates = baseline.shape[0], baseline.shape[1]
        index = pd.MultiIndex.from_product([range(points), range(replicates)], names=["point", "replicate"])
        columns = {}
        for j, (key, target) in enumerate(zip(keys, targets)):
            columns[f"{target}:{key}" if target else key] = np.repeat(design[:, j], replicates)

        def add(prefix, values, labels, label_units):
            flat = values.reshape(points * replicates, -1)
            for c, (label, unit) in enumerate(zip(labels, label_units)):
                columns[prefix + label] = flat[:, c] / PENCE if _money(unit) else flat[:, c]

        add("", baseline, names, units)
        if "options" in f:
            comparisons = _strings(f["axes/comparison_measure"])
            comparison_units = _strings(f["axes/comparison_measure_unit"])
            for option in _strings(f["axes/scenario"])[1:]:
                add(f"{option}.", f[f"options/{option}/measures"][()], names, units)
                add(f"{option}_vs_baseline.", f[f"options/{option}/differences"][()], comparisons, comparison_units)
    return pd.DataFrame(columns, index=index)


def _resolved_key(path, key, default):
    """Each scenario's value of a top-level key, from its resolved configuration."""
    import tomllib
    found = {}
    with h5py.File(path) as f:
        for scenario in [str(s) for s in f.attrs["scenarios"]]:
            text = f[f"config/{scenario}"][()]
            config = tomllib.loads(text.decode() if isinstance(text, bytes) else text)
            found[scenario] = config.get(key, scenario if default is None else default)
    return found


def descriptions(path):
    """Each scenario's description, from its resolved configuration."""
    return _resolved_key(path, "description", None)


def kinds(path):
    """Each scenario's kind: "option" (a commissioning decision) or "future"
    (a change in demand or the world, never an investment or a return)."""
    return _resolved_key(path, "kind", "option")
